// Draws the transcript into its container, redrawing only entries whose version changed
// (a text delta re-renders one message, not the conversation).
import type { ToolCallContent } from '@agentclientprotocol/sdk';
import { button, el } from './dom';
import { renderMarkdown } from './markdown';
import type { Entry, MessageEntry, ToolEntry } from './transcript';

export interface TranscriptActions {
  copy(text: string): void;
  openLocation(path: string, line?: number): void;
}

// Glyphs every system font has (no emoji: many Linux setups render them as boxes).
const KIND_ICONS: Record<string, string> = {
  read: '≡', edit: '✎', delete: '✕', move: '→', search: '⌕', execute: '$', think: '…', fetch: '⇣', switch_mode: '⇄', other: '•',
};
const STATUS_LABELS: Record<string, string> = { pending: 'pending', in_progress: 'running', completed: 'done', failed: 'failed' };

export class TranscriptView {
  private readonly drawn = new Map<string, { node: HTMLElement; version: number; open?: boolean }>();

  constructor(
    private readonly container: HTMLElement,
    private readonly actions: TranscriptActions,
  ) {}

  clear(): void {
    this.drawn.clear();
    this.container.replaceChildren();
  }

  render(entries: readonly Entry[]): void {
    for (const entry of entries) {
      const known = this.drawn.get(entry.id);
      if (known && known.version === entry.version) continue;
      const node = entry.type === 'message' ? this.message(entry) : this.tool(entry, known?.open);
      if (known) known.node.replaceWith(node);
      else this.container.append(node);
      this.drawn.set(entry.id, { node, version: entry.version, open: entry.type === 'tool' ? (node as HTMLDetailsElement).open : undefined });
    }
  }

  private message(entry: MessageEntry): HTMLElement {
    if (entry.role === 'thought') {
      const details = el('details', { class: 'thought', testid: 'thought' }, [el('summary', { text: 'Thinking' })]);
      details.append(el('div', { class: 'thought-text', text: entry.text }));
      return details;
    }
    const node = el('div', { class: `message ${entry.role}`, testid: entry.role === 'user' ? 'message-user' : 'message-agent' });
    if (entry.role === 'user') node.textContent = entry.text;
    else renderMarkdown(node, entry.text, (code) => this.actions.copy(code));
    return node;
  }

  private tool(entry: ToolEntry, wasOpen: boolean | undefined): HTMLElement {
    const card = el('details', { class: `tool-card status-${entry.status}`, testid: 'tool-card' });
    card.dataset.status = entry.status;
    card.dataset.kind = entry.kind;
    card.open = wasOpen ?? false;
    card.addEventListener('toggle', () => {
      const known = this.drawn.get(entry.id);
      if (known) known.open = card.open;
    });
    const summary = el('summary', {}, [
      el('span', { class: 'kind-icon', text: KIND_ICONS[entry.kind] ?? KIND_ICONS.other, title: entry.kind }),
      el('span', { class: 'tool-title', text: entry.title }),
      el('span', { class: `badge ${entry.status}`, text: STATUS_LABELS[entry.status] ?? entry.status }),
    ]);
    card.append(summary);
    if (entry.locations.length > 0) {
      const links = el('div', { class: 'locations' });
      for (const location of entry.locations) {
        const label = `${location.path.split('/').pop()}${location.line ? `:${location.line}` : ''}`;
        links.append(button(label, () => this.actions.openLocation(location.path, location.line ?? undefined), { class: 'link', title: location.path }));
      }
      card.append(links);
    }
    for (const content of entry.content) card.append(renderContent(content));
    return card;
  }
}

export function renderContent(content: ToolCallContent): HTMLElement {
  if (content.type === 'diff') return renderDiff(content.path, content.oldText ?? '', content.newText);
  if (content.type === 'terminal') return el('div', { class: 'output', text: `terminal ${content.terminalId}` });
  const block = content.content;
  return el('pre', { class: 'output', text: block.type === 'text' ? block.text : `[${block.type}]` });
}

/** A compact line diff for cards and prompts (the full review uses VS Code's diff editor). */
function renderDiff(path: string, oldText: string, newText: string): HTMLElement {
  const box = el('div', { class: 'diff' }, [el('div', { class: 'diff-path', text: path })]);
  const oldLines = oldText.split('\n');
  const newLines = newText.split('\n');
  let start = 0;
  while (start < oldLines.length && start < newLines.length && oldLines[start] === newLines[start]) start++;
  let endOld = oldLines.length;
  let endNew = newLines.length;
  while (endOld > start && endNew > start && oldLines[endOld - 1] === newLines[endNew - 1]) {
    endOld--;
    endNew--;
  }
  const pre = el('pre', { class: 'diff-lines' });
  for (const line of oldLines.slice(start, endOld)) pre.append(el('div', { class: 'del', text: `-${line}` }));
  for (const line of newLines.slice(start, endNew)) pre.append(el('div', { class: 'add', text: `+${line}` }));
  box.append(pre);
  return box;
}
