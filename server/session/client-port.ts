// What a session needs from one attached client connection. The protocol layer implements it;
// the session never sees a transport.
import type { RequestPermissionRequest, RequestPermissionResponse, SessionNotification } from '@agentclientprotocol/sdk';
import type { FileAccess, ShellRunner } from '../tools/types';

export interface ClientPort {
  readonly id: string;
  /** False once the connection behind the port has closed. */
  readonly connected: boolean;
  /** Sends one session/update; ordering across calls is preserved. Never throws. */
  sendUpdate(notification: SessionNotification): void;
  requestPermission(params: RequestPermissionRequest, signal: AbortSignal): Promise<RequestPermissionResponse>;
  /** Present when the client advertised fs read and write: it sees unsaved buffers. */
  readonly files?: FileAccess;
  /** Present when the client advertised terminals: commands run where the user can watch. */
  readonly shell?: ShellRunner;
}
