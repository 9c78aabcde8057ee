// The panel's webview: keeps the state the host sends (reset, then updates), draws it, and
// posts what the user does. The host's `reset` is the source of truth after every (re)load.
import type { SessionInfo, SessionUpdate } from '@agentclientprotocol/sdk';
import type { ConnectionState, HostMessage, PendingPermission, ReviewState, SessionView, WebviewMessage } from '../shared/messages';
import { button, el } from './dom';
import { renderHeader, renderUsage } from './render-header';
import { renderPlan, renderReview, renderSessions } from './render-panels';
import { renderPermission } from './render-permissions';
import { TranscriptView } from './render-transcript';
import './styles.css';
import { Transcript } from './transcript';

declare function acquireVsCodeApi(): { postMessage(message: WebviewMessage): void; getState(): unknown; setState(state: unknown): void };

const vscode = acquireVsCodeApi();
const post = (message: WebviewMessage) => vscode.postMessage(message);

interface PanelState {
  connection: ConnectionState;
  connectionDetail?: string;
  session?: SessionView;
  transcript: Transcript;
  queued: string[];
  permissions: PendingPermission[];
  review: ReviewState;
  sessions: SessionInfo[];
  showSessions: boolean;
  error?: string;
}

const state: PanelState = { connection: 'starting', transcript: new Transcript(), queued: [], permissions: [], review: { files: [], unreportedRejections: 0 }, sessions: [], showSessions: false };
const saved = (vscode.getState() ?? {}) as { draft?: string; showSessions?: boolean };
state.showSessions = saved.showSessions ?? false;

// ---- layout ----
const header = el('header', { class: 'header' });
const usage = el('div', { class: 'usage', testid: 'usage' });
const planBox = el('div', { class: 'plan-box' });
const sessionsBox = el('div', { class: 'sessions-box' });
const scroller = el('main', { class: 'scroller' });
const transcriptBox = el('div', { class: 'transcript' });
const queuedBox = el('div', { class: 'queued-box' });
const empty = el('div', { class: 'empty', text: 'Ask Tether to plan or change something in this workspace. Switch to Plan mode to plan first.' });
scroller.append(empty, transcriptBox, queuedBox);
const reviewBox = el('div', { class: 'review-box' });
const permissionsBox = el('div', { class: 'permissions-box' });
const errorBox = el('div', { class: 'error hidden', testid: 'error' });
const input = el('textarea', { class: 'input', testid: 'input' });
input.rows = 3;
input.placeholder = 'Message Tether (Enter to send, Shift+Enter for a new line)';
input.value = saved.draft ?? '';
const send = button('Send', () => submit(), { testid: 'send' });
const cancel = button('Cancel', () => post({ type: 'cancel' }), { class: 'danger', testid: 'cancel' });
const footer = el('footer', { class: 'footer' }, [input, el('div', { class: 'actions' }, [cancel, send])]);
document.getElementById('app')!.append(header, usage, planBox, sessionsBox, scroller, reviewBox, permissionsBox, errorBox, footer);

const transcriptView = new TranscriptView(transcriptBox, {
  copy: (text) => post({ type: 'copy', text }),
  openLocation: (path, line) => post({ type: 'openLocation', path, line }),
});

function submit(): void {
  const text = input.value.trim();
  if (!text) return;
  post({ type: 'prompt', text });
  input.value = '';
  persist();
}

function persist(): void {
  vscode.setState({ draft: input.value, showSessions: state.showSessions });
}

input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submit();
  } else if (event.key === 'Escape' && state.session?.running) {
    post({ type: 'cancel' });
  }
});
input.addEventListener('input', persist);

// ---- drawing ----
let planOpen = true;
function atBottom(): boolean {
  return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
}

function withScroll(draw: () => void): void {
  const stick = atBottom();
  draw();
  if (stick) scroller.scrollTop = scroller.scrollHeight;
}

function drawHeader(): void {
  renderHeader(header, state, post, () => {
    state.showSessions = !state.showSessions;
    persist();
    drawSessions();
  });
  renderUsage(usage, state.transcript.usage);
}

function drawSessions(): void {
  sessionsBox.replaceChildren(...(state.showSessions ? [renderSessions(state.sessions, state.session?.sessionId, post)] : []));
}

function drawSides(): void {
  const plan = renderPlan(state.transcript.plan, planOpen, (open) => (planOpen = open));
  planBox.replaceChildren(...(plan ? [plan] : []));
  const review = renderReview(state.review, post);
  reviewBox.replaceChildren(...(review ? [review] : []));
  queuedBox.replaceChildren(...state.queued.map((text) => el('div', { class: 'queued', testid: 'queued', text: `Queued: ${text}` })));
  const running = state.session?.running ?? false;
  cancel.classList.toggle('hidden', !running);
  footer.classList.toggle('running', running);
  empty.classList.toggle('hidden', state.transcript.entries.length > 0);
}

function drawPermissions(): void {
  const hadFocus = permissionsBox.contains(document.activeElement);
  permissionsBox.replaceChildren(...state.permissions.map((permission) => renderPermission(permission, post)));
  const first = permissionsBox.querySelector<HTMLElement>('textarea, button');
  if (first && (!hadFocus || !permissionsBox.contains(document.activeElement)) && document.activeElement !== input) first.focus();
}

function drawAll(): void {
  withScroll(() => {
    transcriptView.clear();
    transcriptView.render(state.transcript.entries);
    drawHeader();
    drawSessions();
    drawSides();
    drawPermissions();
  });
}

function applyUpdate(update: SessionUpdate): void {
  state.transcript.apply(update);
  if (update.sessionUpdate === 'session_info_update' || update.sessionUpdate === 'config_option_update' || update.sessionUpdate === 'usage_update' || update.sessionUpdate === 'current_mode_update') drawHeader();
  if (update.sessionUpdate === 'plan') drawSides();
  withScroll(() => transcriptView.render(state.transcript.entries));
  if (state.transcript.entries.length === 1) empty.classList.add('hidden');
}

function showError(message: string | undefined): void {
  state.error = message;
  errorBox.textContent = message ?? '';
  errorBox.classList.toggle('hidden', !message);
}

function receive(message: HostMessage): void {
  switch (message.type) {
    case 'reset':
      Object.assign(state, { connection: message.connection, connectionDetail: message.connectionDetail, session: message.session, queued: message.queued, permissions: message.permissions, review: message.review, sessions: message.sessions });
      state.transcript = new Transcript();
      for (const update of message.updates) state.transcript.apply(update);
      showError(undefined);
      return drawAll();
    case 'connection':
      state.connection = message.state;
      state.connectionDetail = message.detail;
      return drawHeader();
    case 'session':
      state.session = message.session;
      drawHeader();
      return drawSides();
    case 'update':
      applyUpdate(message.update);
      if (message.update.sessionUpdate === 'agent_message_chunk') post({ type: 'rendered', sentAt: message.sentAt, renderedAt: Date.now() });
      return;
    case 'queue':
      state.queued = message.queued;
      return withScroll(drawSides);
    case 'permission':
      state.permissions = [...state.permissions.filter((p) => p.requestId !== message.permission.requestId), message.permission];
      return withScroll(drawPermissions);
    case 'permissionResolved':
      state.permissions = state.permissions.filter((p) => p.requestId !== message.requestId);
      return drawPermissions();
    case 'review':
      state.review = message.review;
      return withScroll(drawSides);
    case 'sessions':
      state.sessions = message.sessions;
      return drawSessions();
    case 'error':
      return showError(message.message);
    case 'focusInput':
      return input.focus();
  }
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => receive(event.data));
post({ type: 'ready' });
