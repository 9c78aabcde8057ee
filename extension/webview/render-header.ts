// The header: connection state, session title, history and new-session buttons; under them
// the mode and model pickers (and any other select option the session offers) and the usage
// line. Its elements live as long as the panel and are updated in place, so an open picker
// is never torn down by an unrelated redraw.
import type { SessionConfigOption, SessionConfigSelectOption } from '@agentclientprotocol/sdk';
import type { ConnectionState } from '../shared/messages';
import { button, el, icon } from './dom';
import { ICONS } from './icons';
import { summarizeUsage, type Usage } from './usage';

export interface HeaderActions {
  toggleSessions(): void;
  newSession(): void;
  setConfigOption(configId: string, value: string): void;
}

const CONNECTION_LABELS: Record<ConnectionState, string> = {
  starting: 'Starting server…',
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  failed: 'Disconnected',
};

/** Mode and model first, by their well-known ids; other select options follow. */
const PICKER_TESTIDS: Record<string, string> = { mode: 'mode-select', model: 'model-select' };

export class HeaderView {
  readonly node = el('header', { class: 'header' });
  private readonly dot = el('span', { class: 'connection', testid: 'connection', attrs: { role: 'status' } });
  private readonly connectionLabel = el('span', { class: 'connection-label' });
  private readonly title = el('span', { class: 'title', testid: 'session-title' });
  private readonly history: HTMLButtonElement;
  private readonly pickers = el('div', { class: 'pickers' });
  private readonly usage = el('span', { class: 'usage', testid: 'usage' });
  private readonly selects = new Map<string, { select: HTMLSelectElement; signature: string }>();
  private readonly toolbar = el('div', { class: 'header-row toolbar hidden' }, [this.pickers, this.usage]);

  constructor(private readonly actions: HeaderActions) {
    this.history = button(icon(ICONS.history), () => actions.toggleSessions(), { class: 'icon-button', testid: 'sessions-toggle', title: 'Sessions (history)' });
    const fresh = button(icon(ICONS.plus), () => actions.newSession(), { class: 'icon-button', testid: 'header-new-session', title: 'New session' });
    this.node.append(
      el('div', { class: 'header-row' }, [this.dot, this.title, this.connectionLabel, this.history, fresh]),
      this.toolbar,
    );
  }

  setConnection(state: ConnectionState, detail: string | undefined): void {
    const label = CONNECTION_LABELS[state];
    this.dot.dataset.state = state;
    this.dot.className = `connection ${state}`;
    this.dot.title = `Server: ${label}${detail ? ` (${detail})` : ''}`;
    this.connectionLabel.textContent = state === 'connected' ? '' : detail && state === 'failed' ? `${label}: ${detail}` : label;
    this.connectionLabel.className = `connection-label ${state}`;
  }

  setTitle(title: string | undefined, hasSession: boolean): void {
    const text = title?.trim() || (hasSession ? 'New session' : 'Tether');
    this.title.textContent = text;
    this.title.title = text;
  }

  setSessionsOpen(open: boolean): void {
    this.history.setAttribute('aria-pressed', String(open));
    this.history.classList.toggle('active', open);
  }

  setConfigOptions(options: readonly SessionConfigOption[]): void {
    const selects = options.filter((option) => option.type === 'select');
    const ordered = [...selects].sort((a, b) => rank(a.id) - rank(b.id));
    const keep = new Set(ordered.map((option) => option.id));
    for (const [id, known] of this.selects) {
      if (keep.has(id)) continue;
      known.select.closest('label')?.remove();
      this.selects.delete(id);
    }
    const labels = ordered.map((option) => this.syncSelect(option).closest('label')!);
    // Re-appending would move an open picker and close it: only reorder when the order changed.
    if (labels.some((label, index) => this.pickers.children[index] !== label)) this.pickers.replaceChildren(...labels);
    this.fitToolbar();
  }

  setUsage(usage: Usage): void {
    const summary = summarizeUsage(usage);
    this.usage.textContent = summary.line;
    this.usage.title = summary.detail;
    this.usage.classList.toggle('hidden', !summary.line);
    this.fitToolbar();
  }

  /** No pickers and no usage yet: no empty second row. */
  private fitToolbar(): void {
    this.toolbar.classList.toggle('hidden', this.selects.size === 0 && this.usage.classList.contains('hidden'));
  }

  private syncSelect(option: Extract<SessionConfigOption, { type: 'select' }>): HTMLSelectElement {
    const signature = JSON.stringify([option.name, option.options]);
    let known = this.selects.get(option.id);
    if (!known) {
      const select = el('select', { class: 'picker', testid: PICKER_TESTIDS[option.id] ?? `config-${option.id}`, attrs: { 'aria-label': option.name } });
      select.addEventListener('change', () => this.actions.setConfigOption(option.id, select.value));
      this.pickers.append(el('label', { class: `picker-label picker-${option.id}`, title: option.description ?? option.name }, [select]));
      known = { select, signature: '' };
      this.selects.set(option.id, known);
    }
    if (known.signature !== signature) {
      known.select.replaceChildren(...optionNodes(option));
      known.signature = signature;
    }
    known.select.value = String(option.currentValue);
    return known.select;
  }
}

function rank(id: string): number {
  return id === 'mode' ? 0 : id === 'model' ? 1 : 2;
}

function optionNode(choice: SessionConfigSelectOption): HTMLOptionElement {
  const node = el('option', { text: choice.name, title: choice.description ?? '' });
  node.value = choice.value;
  return node;
}

/** Flat options, or one <optgroup> per group. */
function optionNodes(option: Extract<SessionConfigOption, { type: 'select' }>): Array<HTMLOptionElement | HTMLOptGroupElement> {
  return option.options.map((item) => {
    if (!('group' in item)) return optionNode(item);
    const group = el('optgroup', { attrs: { label: item.name } });
    group.append(...item.options.map(optionNode));
    return group;
  });
}
