// What every method handler receives.
import type { AgentContext } from '@agentclientprotocol/sdk';
import type { SessionManager } from '../../session/manager';
import type { ConnectionState } from '../connection';

export interface HandlerContext<Params> {
  params: Params;
  client: AgentContext;
  signal: AbortSignal;
  connection: ConnectionState;
  manager: SessionManager;
}
