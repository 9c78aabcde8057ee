// The client connections attached to a session, and where a question for "the user" goes:
// the client that sent the running prompt, else any attached one, else (waiting) the next one
// to attach, until a timeout rejects it.
import type { RequestPermissionRequest, RequestPermissionResponse, SessionNotification } from '@agentclientprotocol/sdk';
import { log } from '../log';
import type { ClientPort } from './client-port';

/** How long a permission question waits for some client to attach before it is rejected. */
export const DEFAULT_UNATTENDED_TIMEOUT_MS = 10 * 60_000;

export class AttachedClients {
  private readonly ports = new Map<string, ClientPort>();
  private readonly attachWaiters = new Set<() => void>();

  constructor(private readonly unattendedTimeoutMs = DEFAULT_UNATTENDED_TIMEOUT_MS) {}

  attach(port: ClientPort): void {
    this.ports.set(port.id, port);
    for (const wake of [...this.attachWaiters]) wake();
  }

  detach(portId: string): void {
    this.ports.delete(portId);
  }

  get size(): number {
    return this.ports.size;
  }

  has(port: ClientPort): boolean {
    return this.ports.get(port.id) === port;
  }

  broadcast(notification: SessionNotification, except?: ClientPort): void {
    for (const port of this.ports.values()) if (port !== except) port.sendUpdate(notification);
  }

  /** `preferred` if still attached, else any attached client. */
  pick(preferred?: ClientPort): ClientPort | undefined {
    if (preferred && this.has(preferred)) return preferred;
    return this.ports.values().next().value;
  }

  /**
   * Asks a client; if that client leaves before answering, asks the next one. With nobody
   * attached the question waits for someone, up to the unattended timeout, then is rejected.
   */
  async ask(request: RequestPermissionRequest, signal: AbortSignal, preferred?: () => ClientPort | undefined): Promise<RequestPermissionResponse> {
    const deadline = Date.now() + this.unattendedTimeoutMs;
    for (;;) {
      if (signal.aborted) return { outcome: { outcome: 'cancelled' } };
      const port = this.pick(preferred?.()) ?? (await this.waitForAttach(deadline, signal));
      if (!port) {
        if (signal.aborted) return { outcome: { outcome: 'cancelled' } };
        log.warn(`permission request for ${request.toolCall.title ?? request.toolCall.toolCallId} rejected: no client attached within ${this.unattendedTimeoutMs} ms`);
        return { outcome: { outcome: 'selected', optionId: 'reject_once' } };
      }
      try {
        return await port.requestPermission(request, signal);
      } catch (error) {
        if (signal.aborted) return { outcome: { outcome: 'cancelled' } };
        // A closing transport may reject its requests before it reports itself closed.
        await new Promise((resolve) => setImmediate(resolve));
        if (port.connected) throw error;
        // The client went away mid-question: ask whoever is (or becomes) attached.
        this.detach(port.id);
      }
    }
  }

  private waitForAttach(deadline: number, signal: AbortSignal): Promise<ClientPort | undefined> {
    return new Promise((resolve) => {
      const finish = (port: ClientPort | undefined) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.attachWaiters.delete(onAttach);
        resolve(port);
      };
      const onAttach = () => finish(this.pick());
      const onAbort = () => finish(undefined);
      const timer = setTimeout(() => finish(undefined), Math.max(0, deadline - Date.now()));
      this.attachWaiters.add(onAttach);
      signal.addEventListener('abort', onAbort);
    });
  }
}
