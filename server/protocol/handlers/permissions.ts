// `_tether/permissions/list` and `_tether/permissions/revoke`: the rules in force for a session's
// workspace (session, project and user tiers) and a way to take one back.
import * as z from 'zod/v4';
import { TetherError } from '../../errors';
import { savedRules, revokeSaved, rulePaths } from '../../permissions/workspace-rules';
import type { Session } from '../../session/session';
import { openSession, type HandlerContext } from './context';

export const LIST_PERMISSIONS_METHOD = '_tether/permissions/list';
export const REVOKE_PERMISSION_METHOD = '_tether/permissions/revoke';

export const listPermissionsParams = z.object({ sessionId: z.string().min(1) });
export const revokePermissionParams = z.object({ sessionId: z.string().min(1), id: z.string().min(1) });

const pathsOf = (session: Session) => rulePaths(session.home, session.cwd);

export async function listPermissions(ctx: HandlerContext<z.infer<typeof listPermissionsParams>>) {
  const session = openSession(ctx);
  let saved;
  try {
    saved = savedRules(pathsOf(session));
  } catch (error) {
    throw new TetherError('internal', (error as Error).message);
  }
  const rules = [...session.rules.tiered(), ...saved].map(({ id, tier, tool, pattern, decision }) => ({ id, tier, tool, pattern, decision }));
  return { rules };
}

export async function revokePermission(ctx: HandlerContext<z.infer<typeof revokePermissionParams>>) {
  const { sessionId, id } = ctx.params;
  const session = openSession(ctx);
  if (id.startsWith('session-')) {
    if (session.revokeRule(id)) return {};
  } else if (revokeSaved(pathsOf(session), id)) {
    return {};
  }
  throw new TetherError('not_found', `No permission rule ${id} applies to session ${sessionId}; _tether/permissions/list shows the rules in force.`);
}
