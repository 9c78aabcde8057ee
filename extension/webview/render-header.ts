// The header: connection state, session title, mode and model pickers (from the session's
// config options), history toggle; and the usage line under it.
import type { SessionConfigOption } from '@agentclientprotocol/sdk';
import type { ConnectionState, SessionView, WebviewMessage } from '../shared/messages';
import { button, el, formatBytes, formatCount } from './dom';
import type { Transcript, Usage } from './transcript';

interface HeaderState {
  connection: ConnectionState;
  connectionDetail?: string;
  session?: SessionView;
  transcript: Transcript;
}

export function renderHeader(target: HTMLElement, state: HeaderState, post: (message: WebviewMessage) => void, toggleSessions: () => void): void {
  const options = state.transcript.configOptions ?? state.session?.configOptions ?? [];
  const dot = el('span', { class: `connection ${state.connection}`, testid: 'connection', title: `Server: ${state.connection}${state.connectionDetail ? ` (${state.connectionDetail})` : ''}` });
  dot.dataset.state = state.connection;
  const title = el('span', { class: 'title', text: state.transcript.title ?? state.session?.title ?? (state.session ? 'New session' : 'Tether') });
  target.replaceChildren(
    dot,
    title,
    selectFor(options, 'mode', 'mode-select', post),
    selectFor(options, 'model', 'model-select', post),
    button('History', toggleSessions, { class: 'secondary small', testid: 'sessions-toggle', title: 'Sessions of this workspace' }),
    button('+', () => post({ type: 'newSession' }), { class: 'secondary small', title: 'New session' }),
  );
}

function selectFor(options: SessionConfigOption[], id: string, testid: string, post: (message: WebviewMessage) => void): HTMLElement | string {
  const option = options.find((candidate) => candidate.id === id);
  if (!option || option.type !== 'select') return '';
  const select = el('select', { class: 'picker', testid, title: option.name });
  const choices = (option.options as Array<{ value: string; name: string; description?: string | null }>).filter((choice) => typeof choice.value === 'string');
  for (const choice of choices) {
    const item = el('option', { text: choice.name, title: choice.description ?? '' });
    item.value = choice.value;
    item.selected = choice.value === option.currentValue;
    select.append(item);
  }
  select.addEventListener('change', () => post({ type: 'setConfigOption', configId: id, value: select.value }));
  return select;
}

export function renderUsage(target: HTMLElement, usage: Usage): void {
  const parts: string[] = [];
  if (usage.used !== undefined && usage.size) parts.push(`context ${Math.round((usage.used / usage.size) * 100)}% of ${formatCount(usage.size)}`);
  if (usage.tokens) parts.push(`${formatCount(usage.tokens)} tokens`);
  if (usage.sentBytes !== undefined && usage.statelessBytes !== undefined && usage.statelessBytes > 0) {
    const saved = usage.statelessBytes - usage.sentBytes;
    parts.push(`sent ${formatBytes(usage.sentBytes)}, saved ${formatBytes(Math.max(0, saved))} (${Math.round((Math.max(0, saved) / usage.statelessBytes) * 100)}%) by stateful runs`);
  }
  target.textContent = parts.join(' · ');
  target.classList.toggle('hidden', parts.length === 0);
}
