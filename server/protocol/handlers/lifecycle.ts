// Session lifecycle methods: new, load, list, resume, close.
import type {
  CloseSessionRequest,
  ListSessionsRequest,
  ListSessionsResponse,
  LoadSessionRequest,
  LoadSessionResponse,
  NewSessionRequest,
  NewSessionResponse,
  ResumeSessionRequest,
  ResumeSessionResponse,
} from '@agentclientprotocol/sdk';
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { TetherError } from '../../errors';
import { AVAILABLE_COMMANDS } from '../../session/commands';
import { modeState } from '../../session/config-options';
import type { Session } from '../../session/session';
import type { HandlerContext } from './context';

/** The session's root must be an existing absolute directory; symlinks are resolved once here. */
function workspaceRoot(path: string): string {
  if (!isAbsolute(path)) throw new TetherError('invalid_params', `cwd must be an absolute path, got "${path}".`);
  try {
    if (!statSync(path).isDirectory()) throw new Error('not a directory');
    return realpathSync(path);
  } catch {
    throw new TetherError('invalid_params', `cwd "${path}" is not an existing directory.`);
  }
}

function sessionSetup(session: Session) {
  return { modes: modeState(session.mode), configOptions: session.configOptions() };
}

/** For a session that may be busy: replay leaves turn markers out, so the answer says it. */
function reopenedSetup(session: Session) {
  return { ...sessionSetup(session), _meta: { tether: { running: session.isBusy } } };
}

/** ACP wants this after the response that announced the session; setImmediate runs once it is written. */
function announceCommandsLater(session: Session): void {
  setImmediate(() => session.publish({ sessionUpdate: 'available_commands_update', availableCommands: AVAILABLE_COMMANDS }));
}

export async function newSession(ctx: HandlerContext<NewSessionRequest>): Promise<NewSessionResponse> {
  const cwd = workspaceRoot(ctx.params.cwd);
  const extra = (ctx.params.additionalDirectories ?? []).map(workspaceRoot);
  const session = ctx.manager.create(cwd, extra);
  session.attach(ctx.connection.portFor(session.id, ctx.client));
  announceCommandsLater(session);
  return { sessionId: session.id, ...sessionSetup(session) };
}

export async function loadSession(ctx: HandlerContext<LoadSessionRequest>): Promise<LoadSessionResponse> {
  const { session, transcript } = await ctx.manager.load(ctx.params.sessionId);
  const port = ctx.connection.portFor(session.id, ctx.client);
  // Replay goes to this client only; transcript() and attach() run in one tick, so no gap.
  for (const { seq, update } of transcript()) port.sendUpdate({ sessionId: session.id, update, _meta: { tether: { seq } } });
  session.attach(port);
  announceCommandsLater(session);
  return reopenedSetup(session);
}

export async function resumeSession(ctx: HandlerContext<ResumeSessionRequest>): Promise<ResumeSessionResponse> {
  const { session } = await ctx.manager.open(ctx.params.sessionId);
  session.attach(ctx.connection.portFor(session.id, ctx.client));
  announceCommandsLater(session);
  return reopenedSetup(session);
}

export async function listSessions(ctx: HandlerContext<ListSessionsRequest>): Promise<ListSessionsResponse> {
  const cwd = ctx.params.cwd ?? undefined;
  const summaries = await ctx.manager.list(cwd);
  return {
    sessions: summaries.map((summary) => ({
      sessionId: summary.sessionId,
      cwd: summary.cwd,
      additionalDirectories: summary.additionalDirectories,
      title: summary.title ?? null,
      updatedAt: summary.updatedAt,
    })),
  };
}

export async function closeSession(ctx: HandlerContext<CloseSessionRequest>): Promise<Record<string, never>> {
  ctx.manager.get(ctx.params.sessionId);
  ctx.manager.close(ctx.params.sessionId, ctx.connection.id);
  ctx.connection.forget(ctx.params.sessionId);
  return {};
}
