// `_tether/session/attach`: a client that lost its connection reattaches and receives exactly
// the updates it missed (by sequence number), then live ones. ACP v1 has no such replay.
import * as z from 'zod/v4';
import { TetherError } from '../../errors';
import { modeState } from '../../session/config-options';
import type { HandlerContext } from './context';

export const ATTACH_METHOD = '_tether/session/attach';

export const attachParams = z.object({
  sessionId: z.string().min(1),
  /** The last sequence number the client holds; 0 for everything. */
  afterSeq: z.number().int().min(0),
});

export type AttachParams = z.infer<typeof attachParams>;

export async function attachSession(ctx: HandlerContext<AttachParams>) {
  const { sessionId, afterSeq } = ctx.params;
  const { session } = await ctx.manager.open(sessionId);
  if (afterSeq > session.lastSeq) {
    throw new TetherError('invalid_params', `afterSeq ${afterSeq} is past the session's last update (${session.lastSeq}).`);
  }
  const missed = session.updatesAfter(afterSeq);
  if (!missed) throw new TetherError('invalid_params', `Updates after ${afterSeq} are no longer held in memory; use session/load for the whole transcript.`);
  const port = ctx.connection.portFor(session.id, ctx.client);
  // Replay and attach in one tick: nothing can be published in between.
  for (const { seq, update } of missed) port.sendUpdate({ sessionId, update, _meta: { tether: { seq } } });
  session.attach(port);
  // `running`: a turn runs or prompts wait, so a reattaching client can show Cancel.
  return { lastSeq: session.lastSeq, modes: modeState(session.mode), configOptions: session.configOptions(), running: session.isBusy };
}
