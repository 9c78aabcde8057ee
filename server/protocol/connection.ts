// Per-connection state: what the client can do, and the sessions it has open here.
import { randomUUID } from 'node:crypto';
import type { AgentContext, ClientCapabilities } from '@agentclientprotocol/sdk';
import type { ClientPort } from '../session/client-port';
import { createClientPort } from './client-port';

export class ConnectionState {
  readonly id = randomUUID();
  clientCapabilities: ClientCapabilities = {};
  private signal?: AbortSignal;

  /** Ties this state to the SDK connection, whose signal aborts when the transport closes. */
  bind(signal: AbortSignal): void {
    this.signal = signal;
  }

  /** Ports report it so a question moves to another client when this one is gone. */
  get closed(): boolean {
    return this.signal?.aborted ?? false;
  }
  private readonly ports = new Map<string, ClientPort>();

  portFor(sessionId: string, client: AgentContext): ClientPort {
    let port = this.ports.get(sessionId);
    if (!port) {
      port = createClientPort(this, client, this.clientCapabilities, sessionId);
      this.ports.set(sessionId, port);
    }
    return port;
  }

  forget(sessionId: string): void {
    this.ports.delete(sessionId);
  }

  openSessions(): string[] {
    return [...this.ports.keys()];
  }
}
