// What the host holds of the current session: its updates in order (deduplicated by the
// server's `_meta.tether.seq`, so a replay after reattaching never doubles anything), and the
// few facts the host itself acts on (title, mode, config options, whether a turn runs).
// No vscode and no I/O here, so it is unit-tested directly.
import type { SessionConfigOption, SessionNotification, SessionUpdate } from '@agentclientprotocol/sdk';
import type { SessionView } from '../shared/messages';

export function seqOf(notification: SessionNotification): number | undefined {
  const seq = (notification._meta as { tether?: { seq?: unknown } } | undefined)?.tether?.seq;
  return typeof seq === 'number' ? seq : undefined;
}

/** `_meta.tether.turn.state` of a session_info_update, if it carries one. */
export function turnStateOf(update: SessionUpdate): 'running' | 'idle' | undefined {
  if (update.sessionUpdate !== 'session_info_update') return undefined;
  const state = (update._meta as { tether?: { turn?: { state?: unknown } } } | undefined)?.tether?.turn?.state;
  return state === 'running' || state === 'idle' ? state : undefined;
}

export class SessionState {
  readonly updates: SessionUpdate[] = [];
  lastSeq = 0;
  title: string | undefined;
  configOptions: SessionConfigOption[] = [];
  currentModeId: string | undefined;
  /** A turn runs according to the server's turn markers (covers turns other clients started). */
  serverRunning = false;
  /** Prompts this window sent whose answer has not come back. */
  promptsInFlight = 0;
  /** Prompt texts sent while a turn ran, not yet started by the server. */
  queued: string[] = [];

  constructor(
    readonly sessionId: string,
    readonly cwd: string,
  ) {}

  get running(): boolean {
    return this.serverRunning || this.promptsInFlight > 0;
  }

  view(): SessionView {
    return {
      sessionId: this.sessionId,
      title: this.title,
      cwd: this.cwd,
      running: this.running,
      configOptions: this.configOptions,
      currentModeId: this.currentModeId ?? currentValue(this.configOptions, 'mode'),
    };
  }

  /** Applies one update; false when it is a duplicate (seq already held) and must be dropped. */
  apply(notification: SessionNotification): boolean {
    const seq = seqOf(notification);
    if (seq !== undefined) {
      if (seq <= this.lastSeq) return false;
      this.lastSeq = seq;
    }
    const { update } = notification;
    this.updates.push(update);
    this.fold(update);
    return true;
  }

  /**
   * The server does not echo a prompt to the client that sent it: show it ourselves, when
   * its turn starts. No seq: it stands in for an update this client never receives.
   */
  echoUser(text: string): SessionUpdate {
    const update: SessionUpdate = { sessionUpdate: 'user_message_chunk', content: { type: 'text', text } };
    this.updates.push(update);
    return update;
  }

  /** Forgets every update (before a full session/load replay). */
  clearUpdates(): void {
    this.updates.length = 0;
    this.lastSeq = 0;
  }

  private fold(update: SessionUpdate): void {
    switch (update.sessionUpdate) {
      case 'session_info_update': {
        if (typeof update.title === 'string') this.title = update.title;
        const turn = turnStateOf(update);
        if (turn) this.serverRunning = turn === 'running';
        break;
      }
      case 'config_option_update':
        this.configOptions = update.configOptions;
        this.currentModeId = currentValue(update.configOptions, 'mode') ?? this.currentModeId;
        break;
      case 'current_mode_update':
        this.currentModeId = update.currentModeId;
        break;
      case 'user_message_chunk':
        if (update.content.type === 'text') this.dequeue(update.content.text);
        break;
      default:
        break;
    }
  }

  /** The server started a queued prompt: it is no longer waiting. */
  private dequeue(text: string): void {
    const index = this.queued.indexOf(text);
    if (index >= 0) this.queued.splice(index, 1);
  }
}

export function currentValue(options: SessionConfigOption[], id: string): string | undefined {
  const option = options.find((candidate) => candidate.id === id);
  return option && option.type === 'select' ? String(option.currentValue) : undefined;
}
