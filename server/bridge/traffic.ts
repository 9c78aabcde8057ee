// What the bridge must remember from the traffic it relays to rebuild a connection the editor
// never sees drop: the editor's initialize, the sessions it holds, the last update seq it got
// per session, and its requests still waiting for an answer.
import { idKey, pick, type JsonRpcId, type RpcMessage } from './jsonrpc';

export interface InFlightRequest {
  id: JsonRpcId;
  method: string;
}

export interface AttachTarget {
  sessionId: string;
  afterSeq: number;
}

/** Requests whose success means the editor now holds the session named in their params. */
const OPENS_BY_PARAMS = new Set(['session/load', 'session/resume']);

export class TrafficBook {
  /** Params of the editor's last `initialize`; undefined until it sent one. */
  initializeParams: unknown;
  private readonly inFlight = new Map<string, InFlightRequest & { sessionId?: string }>();
  private readonly sessions = new Set<string>();
  /** Highest `_meta.tether.seq` forwarded per session (load replays carry one too). */
  private readonly seqs = new Map<string, number>();

  /** A request the editor sent to the daemon. */
  editorRequest(message: RpcMessage): void {
    const method = String(message.method);
    const id = message.id ?? null;
    const sessionId = pick(message.params, 'sessionId');
    this.inFlight.set(idKey(id), { id, method, sessionId: typeof sessionId === 'string' ? sessionId : undefined });
    if (method === 'initialize') this.initializeParams = message.params;
  }

  /** A response from the daemon to one of the editor's requests. */
  agentResponse(message: RpcMessage): void {
    const key = idKey(message.id);
    const request = this.inFlight.get(key);
    if (!request) return;
    this.inFlight.delete(key);
    if (message.error !== undefined) return;
    if (request.method === 'session/new') {
      const sessionId = pick(message.result, 'sessionId');
      if (typeof sessionId === 'string') this.sessions.add(sessionId);
    } else if (OPENS_BY_PARAMS.has(request.method) && request.sessionId) {
      this.sessions.add(request.sessionId);
    } else if (request.method === 'session/close' && request.sessionId) {
      this.sessions.delete(request.sessionId);
      this.seqs.delete(request.sessionId);
    }
  }

  /** A notification from the daemon; only `session/update` seqs matter. */
  agentNotification(message: RpcMessage): void {
    if (message.method !== 'session/update') return;
    const sessionId = pick(message.params, 'sessionId');
    const seq = pick(message.params, '_meta', 'tether', 'seq');
    if (typeof sessionId === 'string' && typeof seq === 'number') this.noteSeq(sessionId, seq);
  }

  /** Records that the editor holds every update of `sessionId` up to `seq`. */
  noteSeq(sessionId: string, seq: number): void {
    if (seq > (this.seqs.get(sessionId) ?? 0)) this.seqs.set(sessionId, seq);
  }

  lastSeq(sessionId: string): number {
    return this.seqs.get(sessionId) ?? 0;
  }

  /** Stops tracking a session the daemon can no longer attach us to. */
  forget(sessionId: string): void {
    this.sessions.delete(sessionId);
    this.seqs.delete(sessionId);
  }

  /** One attach per session the editor holds, from the last update it was given. */
  attachTargets(): AttachTarget[] {
    return [...this.sessions].map((sessionId) => ({ sessionId, afterSeq: this.lastSeq(sessionId) }));
  }

  get pendingCount(): number {
    return this.inFlight.size;
  }

  /** The editor's unanswered requests, oldest first; forgets them (their connection is gone). */
  takeInFlight(): InFlightRequest[] {
    const requests = [...this.inFlight.values()].map(({ id, method }) => ({ id, method }));
    this.inFlight.clear();
    return requests;
  }
}
