// session/request_permission answered by the user: each question waits in the panel (and, when
// the panel is hidden, in a notification) until one of them answers it, the turn ends, or the
// connection drops (the server then re-asks on the next connection).
import type * as acp from '@agentclientprotocol/sdk';
import type { PendingPermission } from '../shared/messages';
import { questionsOf } from '../shared/messages';

export interface PermissionAnswer {
  optionId?: string;
  feedback?: string;
  answers?: string[];
}

export interface PermissionSurface {
  /** The panel shows it; returns false when the panel is not visible. */
  show(permission: PendingPermission): boolean;
  resolved(requestId: string): void;
  /** A notification with the options; resolves with the chosen optionId, 'open' for the panel, or undefined. */
  notify(permission: PendingPermission, options: acp.PermissionOption[]): Promise<string | undefined>;
}

interface Waiting {
  permission: PendingPermission;
  resolve: (response: acp.RequestPermissionResponse) => void;
}

export class PermissionBroker {
  private nextId = 1;
  private readonly waiting = new Map<string, Waiting>();
  private surface: PermissionSurface | undefined;

  attach(surface: PermissionSurface): void {
    this.surface = surface;
  }

  pending(): PendingPermission[] {
    return [...this.waiting.values()].map((waiting) => waiting.permission);
  }

  ask(request: acp.RequestPermissionRequest): Promise<acp.RequestPermissionResponse> {
    const requestId = `perm-${this.nextId++}`;
    const permission = { requestId, request };
    return new Promise((resolve) => {
      this.waiting.set(requestId, { permission, resolve });
      const shown = this.surface?.show(permission) ?? false;
      if (!shown) void this.notify(permission);
    });
  }

  answer(requestId: string, answer: PermissionAnswer): boolean {
    const waiting = this.waiting.get(requestId);
    if (!waiting) return false;
    this.waiting.delete(requestId);
    waiting.resolve(responseFor(waiting.permission.request, answer));
    this.surface?.resolved(requestId);
    return true;
  }

  /** Answers everything still open as cancelled (session's turn over, or connection gone). */
  cancelAll(sessionId?: string): void {
    for (const [requestId, waiting] of [...this.waiting]) {
      if (sessionId === undefined || waiting.permission.request.sessionId === sessionId) this.answer(requestId, {});
    }
  }

  private async notify(permission: PendingPermission): Promise<void> {
    if (!this.surface) return;
    // Questions need the panel's text fields; plain choices can be answered from the notification.
    const options = questionsOf(permission.request) ? [] : permission.request.options;
    const chosen = await this.surface.notify(permission, options);
    if (chosen && chosen !== 'open') this.answer(permission.requestId, { optionId: chosen });
  }
}

export function responseFor(request: acp.RequestPermissionRequest, answer: PermissionAnswer): acp.RequestPermissionResponse {
  const known = answer.optionId !== undefined && request.options.some((option) => option.optionId === answer.optionId);
  if (!known) return { outcome: { outcome: 'cancelled' } };
  const tether: Record<string, unknown> = {};
  if (answer.feedback?.trim()) tether.feedback = answer.feedback.trim();
  if (answer.answers) tether.answers = answer.answers;
  return {
    outcome: { outcome: 'selected', optionId: answer.optionId! },
    ...(Object.keys(tether).length > 0 ? { _meta: { tether } } : {}),
  };
}
