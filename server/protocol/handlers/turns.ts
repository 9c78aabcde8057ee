// Prompt turns and session settings: prompt, cancel, set_mode, set_config_option.
import type {
  CancelNotification,
  PromptRequest,
  PromptResponse,
  SetSessionConfigOptionRequest,
  SetSessionConfigOptionResponse,
  SetSessionModeRequest,
} from '@agentclientprotocol/sdk';
import { TetherError } from '../../errors';
import { isModeId } from '../../permissions/modes';
import { isSandboxChoice, MODE_OPTION_ID, MODEL_OPTION_ID, SANDBOX_OPTION_ID } from '../../session/config-options';
import { toUserParts } from '../content';
import { openSession, type HandlerContext } from './context';


export async function prompt(ctx: HandlerContext<PromptRequest>): Promise<PromptResponse> {
  const session = openSession(ctx);
  const parts = toUserParts(ctx.params.prompt);
  const startedAt = Date.now();
  const outcome = await session.prompt(parts, ctx.connection.portFor(session.id, ctx.client));
  const response: PromptResponse = { stopReason: outcome.stopReason };
  if (outcome.queued) response._meta = { tether: { queued: true, waitedMs: Date.now() - startedAt } };
  return response;
}

export async function cancel(ctx: HandlerContext<CancelNotification>): Promise<void> {
  try {
    openSession(ctx).cancel();
  } catch {
    // A cancel for a session that is gone has nothing to stop.
  }
}

function applyMode(ctx: HandlerContext<{ sessionId: string }>, value: string): void {
  if (!isModeId(value)) throw new TetherError('invalid_params', `Unknown mode "${value}".`);
  openSession(ctx).setMode(value);
}

export async function setMode(ctx: HandlerContext<SetSessionModeRequest>): Promise<Record<string, never>> {
  applyMode(ctx, ctx.params.modeId);
  return {};
}

export async function setConfigOption(ctx: HandlerContext<SetSessionConfigOptionRequest>): Promise<SetSessionConfigOptionResponse> {
  const session = openSession(ctx);
  const { configId, value } = ctx.params;
  if (typeof value !== 'string') throw new TetherError('invalid_params', `Config option "${configId}" takes a string value.`);
  if (configId === MODE_OPTION_ID) applyMode(ctx, value);
  else if (configId === MODEL_OPTION_ID) {
    if (!ctx.manager.models().includes(value)) throw new TetherError('invalid_params', `Unknown model "${value}"; choose one of: ${ctx.manager.models().join(', ')}.`);
    session.setModel(value);
  }
  else if (configId === SANDBOX_OPTION_ID) {
    if (!isSandboxChoice(value)) throw new TetherError('invalid_params', `Unknown sandbox choice "${value}"; use workspace-write or full-access.`);
    session.setSandbox(value);
  } else throw new TetherError('invalid_params', `Unknown config option "${configId}".`);
  return { configOptions: session.configOptions() };
}
