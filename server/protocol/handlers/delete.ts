// `_tether/session/delete`: removes a stored session so it leaves session/list (the editors'
// history lists offer it). ACP v1 has no delete.
import * as z from 'zod/v4';
import type { HandlerContext } from './context';

export const DELETE_METHOD = '_tether/session/delete';

export const deleteParams = z.object({ sessionId: z.string().min(1) });

export async function deleteSession(ctx: HandlerContext<z.infer<typeof deleteParams>>) {
  await ctx.manager.delete(ctx.params.sessionId);
  return {};
}
