// Builds the ACP agent for one connection from the method table. No business logic here.
import * as acp from '@agentclientprotocol/sdk';
import type { SessionManager } from '../session/manager';
import { ConnectionState } from './connection';
import { guarded } from './errors';
import { initializeResponse } from './initialize';
import { METHOD_TABLE } from './methods';

export interface AgentEndpoint {
  app: acp.AgentApp;
  connection: ConnectionState;
}

export function createAgentApp(manager: SessionManager): AgentEndpoint {
  const connection = new ConnectionState();
  const app = acp.agent({ name: 'tether' });
  app.onRequest(acp.methods.agent.initialize, async ({ params }) => {
    connection.clientCapabilities = params.clientCapabilities ?? {};
    return initializeResponse(params);
  });
  app.onRequest(acp.methods.agent.authenticate, async () => ({}));
  for (const entry of METHOD_TABLE) {
    const run = guarded(entry.handler);
    const handle = async ({ params, client, signal }: { params: unknown; client: acp.AgentContext; signal: AbortSignal }) =>
      run({ params: params as never, client, signal, connection, manager });
    if (entry.params) app.onRequest(entry.method, entry.params, handle as never);
    else if (entry.kind === 'request') app.onRequest(entry.method as acp.AgentRequestMethod, handle as never);
    else app.onNotification(entry.method as acp.AgentNotificationMethod, handle as never);
  }
  const endpoint = { app, connection };
  // Whatever the transport, a closed connection detaches from its sessions (their runs go on).
  app.onConnect((agentConnection) => {
    connection.bind(agentConnection.signal);
    void agentConnection.closed.then(() => releaseConnection(endpoint, manager));
  });
  return endpoint;
}

/** Detaches a closed connection from every session it had open; their runs go on. */
export function releaseConnection(endpoint: AgentEndpoint, manager: SessionManager): void {
  for (const sessionId of endpoint.connection.openSessions()) manager.detach(sessionId, endpoint.connection.id);
}
