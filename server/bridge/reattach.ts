// The messages that rebuild the editor's state on a fresh daemon connection, and the answers
// the editor gets for requests the old connection took down with it.
import { errorResponse, pick, type JsonRpcId } from './jsonrpc';
import type { AttachTarget, InFlightRequest } from './traffic';

export const ATTACH_METHOD = '_tether/session/attach';
export const INTERNAL_ERROR = -32603;

const PRIVATE_PREFIX = 'tether-bridge:';

/**
 * Ids of the bridge's own requests. They are strings with a prefix, and they are only used
 * while the editor has nothing in flight (its old requests were answered with errors, its new
 * ones wait in the queue), so they cannot be confused with the editor's ids.
 */
export class PrivateIds {
  private next = 1;

  take(): string {
    return `${PRIVATE_PREFIX}${this.next++}`;
  }
}

export function requestLine(id: JsonRpcId, method: string, params: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method, params });
}

/** The daemon said it can replay a missed tail (it may say so at the result root or under agentCapabilities). */
export function supportsAttach(initializeResult: unknown): boolean {
  return (
    pick(initializeResult, '_meta', 'tether', 'attach') === true ||
    pick(initializeResult, 'agentCapabilities', '_meta', 'tether', 'attach') === true
  );
}

/** The reattach plan for one fresh connection: initialize as the editor did, then attach each session. */
export interface ReattachPlan {
  initialize?: { method: 'initialize'; params: unknown };
  attaches: Array<{ method: typeof ATTACH_METHOD; params: AttachTarget }>;
}

export function reattachPlan(initializeParams: unknown, targets: AttachTarget[]): ReattachPlan {
  // Before the editor's initialize nothing is held, so a fresh connection needs no setup.
  if (initializeParams === undefined) return { attaches: [] };
  return {
    initialize: { method: 'initialize', params: initializeParams },
    attaches: targets.map((params) => ({ method: ATTACH_METHOD, params })),
  };
}

/** The `lastSeq` of an attach result, if it has a usable one. */
export function attachedLastSeq(result: unknown): number | undefined {
  const lastSeq = pick(result, 'lastSeq');
  return typeof lastSeq === 'number' && Number.isSafeInteger(lastSeq) && lastSeq >= 0 ? lastSeq : undefined;
}

/** The error answer for an editor request whose daemon connection died before it was answered. */
export function interruptedAnswer(request: InFlightRequest): string {
  const message =
    request.method === 'session/prompt'
      ? 'Tether daemon restarted; the turn was interrupted. Send the prompt again to continue.'
      : `Tether daemon restarted before ${request.method} was answered; please retry.`;
  return errorResponse(request.id, INTERNAL_ERROR, message, { tether: { reason: 'daemon_connection_lost', method: request.method } });
}

/** The error answer for an editor request the bridge cannot deliver at all (no daemon). */
export function unavailableAnswer(id: JsonRpcId, method: string, why: string): string {
  return errorResponse(id, INTERNAL_ERROR, `Tether daemon is not available: ${why}`, { tether: { reason: 'daemon_unavailable', method } });
}
