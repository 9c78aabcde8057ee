// The panel: lays out its sections once, applies each host message to the model and redraws
// only the parts the message changed. Everything the user does goes to the host as a message.
import type { HostMessage } from '../shared/messages';
import { Composer } from './composer';
import { handleContentClicks } from './content-actions';
import { button, el, icon } from './dom';
import type { Host, SavedState } from './host';
import { ICONS } from './icons';
import { applyHostMessage, emptyModel, type Applied, type PanelModel } from './panel-model';
import { HeaderView } from './render-header';
import { PermissionsView } from './render-permissions';
import { PlanView } from './render-plan';
import { ReviewView } from './render-review';
import { SessionsView } from './render-sessions';
import { TranscriptView } from './render-transcript';
import { ScrollFollower } from './scroll';
import { compactUpdates } from './snapshot';

export class Panel {
  private model: PanelModel = emptyModel();
  private readonly header: HeaderView;
  private readonly plan: PlanView;
  private readonly scroller = el('main', { class: 'scroller', testid: 'transcript-scroller' });
  private readonly transcriptBox = el('div', { class: 'transcript', testid: 'transcript', attrs: { role: 'log', 'aria-live': 'polite' } });
  private readonly transcript: TranscriptView;
  private readonly working = el('div', { class: 'working hidden', testid: 'working', text: 'Working' });
  private readonly queued = el('div', { class: 'queued-box' });
  private readonly welcome = welcomeNode();
  private readonly follower: ScrollFollower;
  private readonly sessions: SessionsView;
  private readonly review: ReviewView;
  private readonly permissions: PermissionsView;
  private readonly permissionsBox = el('div', { class: 'permissions hidden', testid: 'permissions' });
  private readonly errorBox = el('div', { class: 'error hidden', testid: 'error', attrs: { role: 'alert' } });
  private readonly composer: Composer;
  private planOpen: boolean;
  private draft: string;
  /** The first reset after this page loaded restores the saved scroll position. */
  private restoredScroll: SavedState | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: Host,
  ) {
    const saved = host.saved();
    this.planOpen = saved.planOpen ?? true;
    this.draft = saved.draft ?? '';
    this.restoredScroll = saved;
    this.header = new HeaderView({
      toggleSessions: () => this.showSessions(!this.sessions.open),
      newSession: () => this.newSession(),
      setConfigOption: (configId, value) => host.post({ type: 'setConfigOption', configId, value }),
    });
    this.plan = new PlanView(this.planOpen, (open) => {
      this.planOpen = open;
      host.scheduleSave();
    });
    this.transcript = new TranscriptView(this.transcriptBox, (path, line) => host.post({ type: 'openLocation', path, line }));
    this.sessions = this.sessionsView();
    this.review = new ReviewView({
      openDiff: (path) => host.post({ type: 'openDiff', path }),
      reviewFile: (path, verdict) => host.post({ type: 'reviewFile', path, verdict }),
      reviewHunk: (path, hunkId, verdict) => host.post({ type: 'reviewHunk', path, hunkId, verdict }),
      reviewAll: (verdict) => host.post({ type: 'reviewAll', verdict }),
    });
    this.permissions = new PermissionsView(
      this.permissionsBox,
      (requestId, answer) => host.post({ type: 'permissionResponse', requestId, ...answer }),
      (path, line) => host.post({ type: 'openLocation', path, line }),
      () => this.composer.focus(),
    );
    this.composer = this.composerView();
    const content = el('div', { class: 'scroll-content' }, [this.welcome, this.transcriptBox, this.working, this.queued]);
    this.scroller.append(content);
    this.follower = new ScrollFollower(this.scroller, content);
    this.layout(saved);
  }

  private layout(saved: SavedState): void {
    const scrollArea = el('div', { class: 'scroll-area' }, [this.scroller, this.follower.jumpButton]);
    this.root.append(this.header.node, this.plan.node, scrollArea, this.sessions.node, this.errorBox, this.review.node, this.permissionsBox, this.composer.node);
    handleContentClicks(this.root, {
      copy: (text) => this.host.post({ type: 'copy', text }),
      openLocation: (path, line) => this.host.post({ type: 'openLocation', path, line }),
      cwd: () => this.model.session?.cwd,
    });
    this.composer.setDraft(this.draft);
    this.host.onSave(() => this.savedState());
    const empty = { connection: 'starting' as const, updates: [], queued: [], review: { files: [], unreportedRejections: 0 }, sessions: [] };
    this.apply({ type: 'reset', ...(saved.snapshot ?? empty), permissions: [] }, false);
    this.showSessions(saved.showSessions ?? false);
  }

  private sessionsView(): SessionsView {
    return new SessionsView({
      resume: (sessionId) => {
        if (sessionId !== this.model.session?.sessionId) this.host.post({ type: 'resumeSession', sessionId });
        this.showSessions(false);
      },
      remove: (sessionId) => this.host.post({ type: 'deleteSession', sessionId }),
      newSession: () => this.newSession(),
      refresh: () => this.host.post({ type: 'refreshSessions' }),
      close: () => this.showSessions(false),
    });
  }

  private composerView(): Composer {
    return new Composer({
      send: (text) => {
        this.host.post({ type: 'prompt', text });
        this.showError(undefined);
        this.showSessions(false);
        this.follower.stick();
      },
      cancel: () => this.host.post({ type: 'cancel' }),
      draftChanged: (text) => {
        this.draft = text;
        this.host.scheduleSave();
      },
    });
  }

  receive(message: HostMessage): void {
    if (message.type === 'focusInput') {
      this.showSessions(false);
      return this.composer.focus();
    }
    this.apply(message);
    // Latency bench: the host timestamps agent text when it arrives; report when it is drawn.
    if (message.type === 'update' && message.update.sessionUpdate === 'agent_message_chunk') {
      this.host.post({ type: 'rendered', sentAt: message.sentAt, renderedAt: Date.now() });
    }
  }

  /** `fromHost` false: the panel's own saved snapshot, drawn before the host answers. */
  private apply(message: HostMessage, fromHost = true): void {
    const previousSession = this.model.session?.sessionId;
    const applied = applyHostMessage(this.model, message);
    this.draw(applied);
    if (applied.reset) this.afterReset(previousSession, fromHost);
    if (applied.parts.size > 0) this.host.scheduleSave();
  }

  private draw({ parts, reset }: Applied): void {
    const { model } = this;
    if (parts.has('header')) {
      this.header.setConnection(model.connection, model.connectionDetail);
      this.header.setTitle(model.title, model.session !== undefined);
      this.header.setConfigOptions(model.configOptions);
    }
    if (parts.has('usage')) this.header.setUsage(model.transcript.usage);
    if (parts.has('plan')) this.plan.update(model.transcript.plan);
    if (parts.has('commands')) this.composer.setCommands(model.transcript.commands);
    if (parts.has('transcript')) this.drawTranscript(reset);
    if (parts.has('running')) this.drawRunning();
    if (parts.has('queue')) this.drawQueue();
    if (parts.has('permissions')) this.permissions.sync(model.permissions);
    if (parts.has('review')) this.review.update(model.review);
    if (parts.has('sessions')) this.sessions.update(model.sessions, model.session?.sessionId);
    if (parts.has('error')) this.showError(model.error);
  }

  private drawTranscript(reset: boolean): void {
    if (reset) this.transcript.reset();
    const { entries } = this.model.transcript;
    this.transcript.sync(entries);
    this.transcript.setStreaming(this.model.running);
    this.welcome.classList.toggle('hidden', entries.length > 0 || this.model.queued.length > 0);
    this.drawWorking();
  }

  /** "Working…" while a turn runs and nothing is visibly streaming (a tool, the model thinking). */
  private drawWorking(): void {
    const last = this.model.transcript.entries.at(-1);
    const streaming = last?.type === 'message' && last.role !== 'user';
    this.working.classList.toggle('hidden', !this.model.running || streaming);
  }

  private drawRunning(): void {
    const { running } = this.model;
    this.composer.setRunning(running);
    this.transcript.setStreaming(running);
    this.drawWorking();
  }

  private drawQueue(): void {
    const pills = this.model.queued.map((text) => el('div', { class: 'queued', testid: 'queued', title: text }, [el('span', { class: 'tag', text: 'queued' }), el('span', { class: 'queued-text', text })]));
    this.queued.replaceChildren(...pills);
    this.welcome.classList.toggle('hidden', this.model.transcript.entries.length > 0 || pills.length > 0);
  }

  /** Same session: keep the reader where they were; another one: start at its end. */
  private afterReset(previousSession: string | undefined, fromHost: boolean): void {
    const saved = this.restoredScroll;
    if (saved && saved.scrollTop !== undefined) {
      this.follower.restore(saved.scrollTop, saved.pinned ?? true);
      if (fromHost) this.restoredScroll = undefined;
    } else if (previousSession === this.model.session?.sessionId) {
      this.follower.restore(this.follower.scrollTop, this.follower.pinned);
    } else {
      this.follower.stick();
    }
  }

  private showSessions(open: boolean): void {
    this.sessions.setOpen(open);
    this.sessions.update(this.model.sessions, this.model.session?.sessionId);
    this.header.setSessionsOpen(open);
    this.root.classList.toggle('sessions-open', open);
    if (open) this.host.post({ type: 'refreshSessions' });
    this.host.scheduleSave();
  }

  private newSession(): void {
    this.host.post({ type: 'newSession' });
    this.showSessions(false);
    this.composer.focus();
  }

  private showError(message: string | undefined): void {
    this.model.error = message;
    const dismiss = button(icon(ICONS.close), () => this.showError(undefined), { class: 'icon-button', title: 'Dismiss' });
    this.errorBox.replaceChildren(...(message ? [el('span', { class: 'error-text', text: message }), dismiss] : []));
    this.errorBox.classList.toggle('hidden', !message);
  }

  private savedState(): SavedState {
    const { model } = this;
    return {
      draft: this.draft,
      scrollTop: this.follower.scrollTop,
      pinned: this.follower.pinned,
      showSessions: this.sessions.open,
      planOpen: this.planOpen,
      snapshot: {
        connection: model.connection,
        connectionDetail: model.connectionDetail,
        session: model.session,
        updates: compactUpdates(model.transcript),
        queued: model.queued,
        review: model.review,
        sessions: model.sessions,
      },
    };
  }
}

function welcomeNode(): HTMLElement {
  return el('div', { class: 'welcome', testid: 'welcome' }, [
    el('div', { class: 'welcome-title', text: 'Tether' }),
    el('p', { text: 'Ask the agent to explain, plan or change something in this workspace.' }),
    el('p', { class: 'hint', text: 'Pick Plan in the mode menu to get a plan to approve before any file changes. Shift+Enter adds a line; Esc cancels a running turn.' }),
  ]);
}
