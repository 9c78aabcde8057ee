// Everything the panel shows, and how each host message changes it. Pure (no DOM): the
// result says which parts of the panel to redraw. A few facts (title, config options, whether
// a turn runs) arrive both in `session` messages and in updates; the latest one wins.
import type { SessionConfigOption, SessionInfo, SessionUpdate } from '@agentclientprotocol/sdk';
import type { ConnectionState, HostMessage, PendingPermission, ReviewState, SessionView } from '../shared/messages';
import { Transcript, turnStateOf, type TranscriptChange } from './transcript';

export type Part = 'transcript' | 'header' | 'usage' | 'plan' | 'commands' | 'queue' | 'permissions' | 'review' | 'sessions' | 'error' | 'running';

export interface PanelModel {
  connection: ConnectionState;
  connectionDetail?: string;
  session?: SessionView;
  transcript: Transcript;
  title?: string;
  configOptions: SessionConfigOption[];
  running: boolean;
  queued: string[];
  permissions: PendingPermission[];
  review: ReviewState;
  sessions: SessionInfo[];
  error?: string;
}

export interface Applied {
  parts: Set<Part>;
  /** The transcript was replaced: its views must start over. */
  reset: boolean;
}

export function emptyModel(): PanelModel {
  return { connection: 'starting', transcript: new Transcript(), configOptions: [], running: false, queued: [], permissions: [], review: { files: [], unreportedRejections: 0 }, sessions: [] };
}

const ALL: Part[] = ['transcript', 'header', 'usage', 'plan', 'commands', 'queue', 'permissions', 'review', 'sessions', 'error', 'running'];
const CHANGE_PARTS: Record<TranscriptChange, Part[]> = { entries: ['transcript'], plan: ['plan'], session: ['header'], usage: ['usage'], commands: ['commands'], none: [] };

export function applyHostMessage(model: PanelModel, message: HostMessage): Applied {
  const applied = (parts: Part[], reset = false): Applied => ({ parts: new Set(parts), reset });
  switch (message.type) {
    case 'reset':
      resetModel(model, message);
      return applied(ALL, true);
    case 'connection':
      model.connection = message.state;
      model.connectionDetail = message.detail;
      return applied(['header']);
    case 'session':
      adoptSession(model, message.session);
      return applied(['header', 'running']);
    case 'update':
      return applied(applyUpdate(model, message.update));
    case 'queue':
      model.queued = message.queued;
      return applied(['queue']);
    case 'permission':
      model.permissions = [...model.permissions.filter((p) => p.requestId !== message.permission.requestId), message.permission];
      return applied(['permissions']);
    case 'permissionResolved':
      model.permissions = model.permissions.filter((p) => p.requestId !== message.requestId);
      return applied(['permissions']);
    case 'review':
      model.review = message.review;
      return applied(['review']);
    case 'sessions':
      model.sessions = message.sessions;
      return applied(['sessions']);
    case 'error':
      model.error = message.message;
      return applied(['error']);
    default:
      return applied([]);
  }
}

function resetModel(model: PanelModel, message: Extract<HostMessage, { type: 'reset' }>): void {
  const transcript = new Transcript();
  for (const update of message.updates) transcript.apply(update);
  Object.assign(model, {
    connection: message.connection,
    connectionDetail: message.connectionDetail,
    transcript,
    queued: message.queued,
    permissions: message.permissions,
    review: message.review,
    sessions: message.sessions,
  });
  adoptSession(model, message.session);
}

function adoptSession(model: PanelModel, session: SessionView | undefined): void {
  model.session = session;
  model.title = session?.title ?? model.transcript.title;
  model.configOptions = session ? withMode(session.configOptions, session.currentModeId) : [];
  model.running = session?.running ?? false;
}

function applyUpdate(model: PanelModel, update: SessionUpdate): Part[] {
  const { transcript } = model;
  const change = transcript.apply(update);
  const parts = [...CHANGE_PARTS[change]];
  if (change !== 'session') return parts;
  if (update.sessionUpdate === 'config_option_update') model.configOptions = update.configOptions;
  if (update.sessionUpdate === 'current_mode_update') model.configOptions = withMode(model.configOptions, update.currentModeId);
  if (update.sessionUpdate === 'session_info_update') {
    if (typeof update.title === 'string') model.title = update.title;
    const turn = turnStateOf(update._meta);
    if (turn && (turn === 'running') !== model.running) {
      model.running = turn === 'running';
      parts.push('running');
    }
  }
  return parts;
}

/** The mode option with `modeId` as its value (a mode change may come without new options). */
function withMode(options: SessionConfigOption[], modeId: string | undefined): SessionConfigOption[] {
  if (!modeId) return options;
  return options.map((option) => (option.id === 'mode' && option.type === 'select' && option.currentValue !== modeId ? { ...option, currentValue: modeId } : option));
}
