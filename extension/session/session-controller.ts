// The current session of this window: creating, resuming (reattach with replay of what was
// missed, or a full load), prompting, cancelling, switching options; listing and deleting the
// workspace's sessions. It survives reconnects: on every new connection it reattaches.
import * as acp from '@agentclientprotocol/sdk';
import type { Connected, DaemonLink } from '../connection/daemon-link';
import type { SessionView } from '../shared/messages';
import { SessionState, turnStateOf } from './session-state';

export const DELETE_METHOD = '_tether/session/delete';
const ATTACH_METHOD = '_tether/session/attach';
const CURRENT_SESSION_KEY = 'tether.currentSessionId';
const MAX_LIST_PAGES = 10;

export interface SessionEvents {
  /** The whole session changed (new, resumed, reloaded): the panel must start over. */
  reset(): void;
  session(view: SessionView | undefined): void;
  update(update: acp.SessionUpdate, receivedAt: number): void;
  queue(queued: string[]): void;
  error(message: string): void;
  sessionsChanged(): void;
  /** A turn this window knew of ended (idle again). */
  idle(sessionId: string): void;
}

export interface Memento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

interface AttachResult {
  lastSeq: number;
  configOptions?: acp.SessionConfigOption[];
  modes?: { currentModeId: string };
  running?: boolean;
}

export class SessionController {
  private state: SessionState | undefined;

  constructor(
    private readonly link: DaemonLink,
    private readonly cwd: string,
    private readonly memory: Memento,
    private readonly events: SessionEvents,
    private readonly log: (line: string) => void,
  ) {
    link.onConnected((connected) => {
      this.attaching = this.reattach(connected);
    });
  }

  /** Settles once the session is reattached on the latest connection (requests wait for it). */
  whenAttached(): Promise<void> {
    return this.attaching;
  }

  private attaching: Promise<void> = Promise.resolve();

  get current(): SessionState | undefined {
    return this.state;
  }

  view(): SessionView | undefined {
    return this.state?.view();
  }

  /** Every session/update from the server; other sessions' updates are not ours to show. */
  handleUpdate(notification: acp.SessionNotification, receivedAt: number): void {
    const state = this.state;
    if (!state || notification.sessionId !== state.sessionId) return;
    const wasRunning = state.running;
    const queuedBefore = state.queued.length;
    if (!state.apply(notification)) return;
    this.events.update(notification.update, receivedAt);
    // A turn starts while prompts of ours wait: the first of them is the one starting.
    if (turnStateOf(notification.update) === 'running' && state.queued.length > 0) {
      this.events.update(state.echoUser(state.queued.shift()!), receivedAt);
    }
    const kind = notification.update.sessionUpdate;
    if (kind === 'session_info_update' || kind === 'config_option_update' || kind === 'current_mode_update' || wasRunning !== state.running) this.events.session(state.view());
    if (state.queued.length !== queuedBefore) this.events.queue([...state.queued]);
    if (wasRunning && !state.running) this.events.idle(state.sessionId);
  }

  async newSession(): Promise<string> {
    const { agent } = await this.link.whenConnected();
    const created = await agent.request(acp.methods.agent.session.new, { cwd: this.cwd, mcpServers: [] });
    this.adopt(new SessionState(created.sessionId, this.cwd));
    this.state!.configOptions = created.configOptions ?? [];
    this.state!.currentModeId = created.modes?.currentModeId;
    this.events.session(this.state!.view());
    this.events.sessionsChanged();
    return created.sessionId;
  }

  async resume(sessionId: string): Promise<void> {
    if (this.state?.sessionId === sessionId) return;
    this.adopt(new SessionState(sessionId, this.cwd));
    const connected = await this.link.whenConnected();
    await this.reattach(connected);
  }

  /** Sends a prompt (the server queues it behind a running turn). `extra` goes first, e.g. review feedback. */
  async prompt(text: string, extra: string[] = []): Promise<acp.StopReason | undefined> {
    if (!this.state) await this.newSession();
    const state = this.state!;
    const { agent } = await this.link.whenConnected();
    await this.attaching;
    if (state.running) {
      state.queued.push(text);
      this.events.queue([...state.queued]);
    } else {
      this.events.update(state.echoUser(text), Date.now());
    }
    state.promptsInFlight += 1;
    this.events.session(state.view());
    const prompt: acp.ContentBlock[] = [...extra, text].map((part) => ({ type: 'text', text: part }));
    try {
      const answer = await agent.request(acp.methods.agent.session.prompt, { sessionId: state.sessionId, prompt });
      return answer.stopReason;
    } catch (error) {
      this.log(`prompt failed: ${(error as Error).message}`);
      if (this.link.state === 'connected') this.events.error(`The prompt failed: ${(error as Error).message}`);
      return undefined;
    } finally {
      state.promptsInFlight -= 1;
      this.afterPrompt(state, text);
    }
  }

  cancel(): void {
    const state = this.state;
    const agent = this.link.connected?.agent;
    if (!state || !agent) return;
    state.queued = [];
    this.events.queue([]);
    void agent.notify(acp.methods.agent.session.cancel, { sessionId: state.sessionId }).catch((error: unknown) => this.log(`cancel not sent: ${String(error)}`));
  }

  async setConfigOption(configId: string, value: string): Promise<void> {
    if (!this.state) await this.newSession();
    const state = this.state!;
    const { agent } = await this.link.whenConnected();
    const answer = await agent.request(acp.methods.agent.session.setConfigOption, { sessionId: state.sessionId, configId, value });
    state.configOptions = answer.configOptions;
    if (configId === 'mode') state.currentModeId = value;
    this.events.session(state.view());
  }

  /** The sessions of this workspace, newest first, whichever client started them. */
  async list(): Promise<acp.SessionInfo[]> {
    const { agent } = await this.link.whenConnected();
    const sessions: acp.SessionInfo[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const answer = await agent.request(acp.methods.agent.session.list, { cwd: this.cwd, ...(cursor ? { cursor } : {}) });
      sessions.push(...answer.sessions);
      cursor = answer.nextCursor ?? undefined;
      if (!cursor) break;
    }
    return sessions.sort((a, b) => String(b.updatedAt ?? '').localeCompare(String(a.updatedAt ?? '')));
  }

  async delete(sessionId: string): Promise<void> {
    const { agent } = await this.link.whenConnected();
    await agent.request(DELETE_METHOD, { sessionId });
    if (this.state?.sessionId === sessionId) this.adopt(undefined);
    this.events.sessionsChanged();
  }

  /** Restores the session this workspace had open before a reload. */
  restore(): void {
    const id = this.memory.get<string>(CURRENT_SESSION_KEY);
    if (id) this.adopt(new SessionState(id, this.cwd));
  }

  private adopt(state: SessionState | undefined): void {
    this.state = state;
    void this.memory.update(CURRENT_SESSION_KEY, state?.sessionId);
    this.events.reset();
  }

  private afterPrompt(state: SessionState, text: string): void {
    const index = state.queued.indexOf(text);
    if (index >= 0) {
      state.queued.splice(index, 1);
      this.events.queue([...state.queued]);
    }
    if (this.state === state) this.events.session(state.view());
    if (!state.running) this.events.idle(state.sessionId);
  }

  /** Reattach after (re)connecting: the missed tail if the server still holds it, else the whole transcript. */
  private async reattach(connected: Connected): Promise<void> {
    const state = this.state;
    if (!state) return;
    try {
      const attached = await connected.agent.request<AttachResult>(ATTACH_METHOD, { sessionId: state.sessionId, afterSeq: state.lastSeq });
      this.applyAttach(state, attached);
    } catch (error) {
      this.log(`reattach to ${state.sessionId} after seq ${state.lastSeq} failed (${(error as Error).message}); loading the whole transcript`);
      await this.reload(connected, state);
    }
  }

  private applyAttach(state: SessionState, attached: AttachResult): void {
    if (attached.configOptions) state.configOptions = attached.configOptions;
    if (attached.modes) state.currentModeId = attached.modes.currentModeId;
    if (typeof attached.running === 'boolean') state.serverRunning = attached.running;
    if (this.state === state) this.events.session(state.view());
  }

  private async reload(connected: Connected, state: SessionState): Promise<void> {
    state.clearUpdates();
    this.events.reset();
    try {
      const loaded = await connected.agent.request(acp.methods.agent.session.load, { sessionId: state.sessionId, cwd: this.cwd, mcpServers: [] });
      // session/load attaches us; Tether's answer also says whether a turn runs.
      const running = (loaded._meta as { tether?: { running?: unknown } } | undefined)?.tether?.running;
      this.applyAttach(state, {
        lastSeq: state.lastSeq,
        configOptions: loaded.configOptions ?? undefined,
        modes: loaded.modes ?? undefined,
        running: typeof running === 'boolean' ? running : undefined,
      });
    } catch (error) {
      this.log(`could not load session ${state.sessionId}: ${(error as Error).message}`);
      if (this.state === state) {
        this.adopt(undefined);
        this.events.error(`The session could not be restored: ${(error as Error).message}`);
      }
    }
  }
}
