// The method table: the single source of truth for what this agent answers. Each row names the
// wire method, its handler, and whether it may run while other requests of the session run.
// A new method goes here, with its handler under handlers/.
import { methods } from '@agentclientprotocol/sdk';
import { ATTACH_METHOD, attachParams, attachSession } from './handlers/attach';
import type { HandlerContext } from './handlers/context';
import { DELETE_METHOD, deleteParams, deleteSession } from './handlers/delete';
import { closeSession, listSessions, loadSession, newSession, resumeSession } from './handlers/lifecycle';
import { LIST_PERMISSIONS_METHOD, listPermissions, listPermissionsParams, REVOKE_PERMISSION_METHOD, revokePermission, revokePermissionParams } from './handlers/permissions';
import { cancel, prompt, setConfigOption, setMode } from './handlers/turns';

export interface MethodRow {
  method: string;
  /** Validates params of extension methods; the SDK validates the standard ones itself. */
  params?: { parse(params: unknown): unknown };
  kind: 'request' | 'notification';
  /** Long-running methods (prompt) answer late; everything else answers at once. */
  longRunning: boolean;
  // Params are validated by the SDK's schema before a handler runs.
  handler: (ctx: HandlerContext<never>) => Promise<unknown>;
}

const row = <Params>(
  method: string,
  kind: MethodRow['kind'],
  handler: (ctx: HandlerContext<Params>) => Promise<unknown>,
  options: { longRunning?: boolean; params?: MethodRow['params'] } = {},
): MethodRow => ({
  method,
  kind,
  longRunning: options.longRunning ?? false,
  params: options.params,
  handler: handler as MethodRow['handler'],
});

export const METHOD_TABLE: readonly MethodRow[] = [
  row(methods.agent.session.new, 'request', newSession),
  row(methods.agent.session.load, 'request', loadSession),
  row(methods.agent.session.list, 'request', listSessions),
  row(methods.agent.session.resume, 'request', resumeSession),
  row(methods.agent.session.close, 'request', closeSession),
  row(methods.agent.session.prompt, 'request', prompt, { longRunning: true }),
  row(methods.agent.session.setMode, 'request', setMode),
  row(methods.agent.session.setConfigOption, 'request', setConfigOption),
  row(methods.agent.session.cancel, 'notification', cancel),
  row(ATTACH_METHOD, 'request', attachSession, { params: attachParams }),
  row(DELETE_METHOD, 'request', deleteSession, { params: deleteParams }),
  row(LIST_PERMISSIONS_METHOD, 'request', listPermissions, { params: listPermissionsParams }),
  row(REVOKE_PERMISSION_METHOD, 'request', revokePermission, { params: revokePermissionParams }),
];
