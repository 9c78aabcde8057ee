// One client of the daemon: its own agent app over its own socket, sharing the session manager.
// When the ACP connection ends, for whatever reason, the client is detached from its sessions.
import type { WebSocket } from 'ws';
import { log } from '../log';
import { createAgentApp, releaseConnection } from '../protocol/agent-app';
import { limitNesting } from '../protocol/nesting-limit';
import { webSocketStream } from '../protocol/websocket-stream';
import type { SessionManager } from '../session/manager';
import { limitPendingRequests } from './pending-requests';

export interface ServedConnection {
  readonly id: string;
  /** Resolves once the client is detached from every session it had open. */
  readonly done: Promise<void>;
  /** Requests this client sent that are not answered yet. */
  pendingCount(): number;
}

export interface ConnectionLimits {
  maxPendingRequests: number;
  /** Only for the log line: `ws` itself enforces it (maxPayload) and closes with 1009. */
  maxMessageBytes: number;
}

export function serveConnection(socket: WebSocket, manager: SessionManager, limits: ConnectionLimits): ServedConnection {
  const endpoint = createAgentApp(manager);
  const id = endpoint.connection.id;
  const stream = limitPendingRequests(
    limitNesting(webSocketStream(socket, { onRejectedFrame: (error) => log.debug(`connection ${id}: rejected frame: ${error.message}`) })),
    limits.maxPendingRequests,
  );
  const connection = endpoint.app.connect(stream);
  socket.on('error', (error: Error & { code?: string }) => {
    const oversize = error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
    log.warn(`connection ${id}: ${oversize ? `a frame exceeded ${limits.maxMessageBytes} bytes; closed with 1009` : error.message}`);
  });
  const done = connection.closed.then(() => {
    try {
      releaseConnection(endpoint, manager);
    } catch (error) {
      log.error(`connection ${id}: releasing its sessions failed:`, error);
    }
    log.debug(`connection ${id} closed`);
  });
  return { id, done, pendingCount: stream.pendingCount };
}
