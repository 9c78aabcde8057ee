// What every method handler receives.
import type { AgentContext } from '@agentclientprotocol/sdk';
import { TetherError } from '../../errors';
import type { Session } from '../../session/session';
import type { SessionManager } from '../../session/manager';
import type { ConnectionState } from '../connection';

export interface HandlerContext<Params> {
  params: Params;
  client: AgentContext;
  signal: AbortSignal;
  connection: ConnectionState;
  manager: SessionManager;
}

/** The session named by the request, which must be open on this connection (shared sessions are joined first). */
export function openSession(ctx: HandlerContext<{ sessionId: string }>): Session {
  const session = ctx.manager.get(ctx.params.sessionId);
  if (!ctx.connection.openSessions().includes(session.id)) {
    throw new TetherError('not_found', `Session ${session.id} is not open on this connection; load or resume it first.`);
  }
  return session;
}
