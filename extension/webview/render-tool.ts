// A tool call as a card: kind icon, title, status badge, and a folded body with its output
// (text, diffs as +/- lines, terminals), input and locations. The body is built only while the
// card is open, so a long session of folded cards stays cheap.
import type { ToolCallContent, ToolCallLocation } from '@agentclientprotocol/sdk';
import { button, el } from './dom';
import { baseName, clipText } from './format';
import { kindIcon } from './icons';
import { diffLines } from './line-diff';
import { renderFileDiff } from './render-diff';
import type { ToolEntry } from './transcript';

export type OpenLocation = (path: string, line?: number) => void;

const STATUS_LABELS: Record<string, string> = { pending: 'Pending', in_progress: 'Running', completed: 'Done', failed: 'Failed' };
const RAW_LIMIT = 4000;

export class ToolCardView {
  readonly node: HTMLDetailsElement;
  private entry: ToolEntry;
  private bodyStale = true;
  private readonly body = el('div', { class: 'tool-body' });

  constructor(
    entry: ToolEntry,
    private readonly openLocation: OpenLocation,
  ) {
    this.entry = entry;
    this.node = el('details', { class: 'tool-card', testid: 'tool-card' });
    this.node.addEventListener('toggle', () => this.node.open && this.drawBody());
    this.update(entry);
  }

  update(entry: ToolEntry): void {
    this.entry = entry;
    this.node.dataset.status = entry.status;
    this.node.dataset.kind = entry.kind;
    this.node.className = `tool-card status-${entry.status}`;
    this.node.replaceChildren(this.summary(), this.body);
    this.bodyStale = true;
    if (this.node.open) this.drawBody();
  }

  private summary(): HTMLElement {
    const { entry } = this;
    const stats = diffStats(entry.content);
    const first = entry.locations[0];
    return el('summary', {}, [
      kindIcon(entry.kind),
      el('span', { class: 'tool-title', text: entry.title, title: entry.title }),
      stats && el('span', { class: 'added', text: `+${stats.added}` }),
      stats && el('span', { class: 'removed', text: `−${stats.removed}` }),
      first && locationLink(first, this.openLocation, true),
      el('span', { class: `badge status-${entry.status}`, text: STATUS_LABELS[entry.status] ?? entry.status }),
    ]);
  }

  private drawBody(): void {
    if (!this.bodyStale) return;
    this.bodyStale = false;
    const { entry } = this;
    const command = commandOf(entry.rawInput);
    const parts: Array<HTMLElement | false | undefined> = [
      command !== undefined && el('pre', { class: 'command', text: `$ ${command}` }),
      entry.locations.length > 1 && el('div', { class: 'locations' }, entry.locations.map((location) => locationLink(location, this.openLocation, false))),
      ...entry.content.map((content) => renderToolContent(content, this.openLocation)),
      entry.content.length === 0 && entry.rawOutput !== undefined && el('pre', { class: 'output', text: clipText(rawText(entry.rawOutput), RAW_LIMIT) }),
      command === undefined && entry.rawInput !== undefined && rawInputDetails(entry.rawInput),
    ];
    const shown = parts.filter((part): part is HTMLElement => part instanceof HTMLElement);
    this.body.replaceChildren(...(shown.length > 0 ? shown : [el('div', { class: 'note', text: entry.status === 'in_progress' || entry.status === 'pending' ? 'Waiting for output…' : 'No output' })]));
  }
}

export function renderToolContent(content: ToolCallContent, openLocation: OpenLocation): HTMLElement {
  switch (content.type) {
    case 'diff':
      return renderFileDiff(content.path, content.oldText, content.newText, () => openLocation(content.path)).node;
    case 'terminal':
      return el('div', { class: 'note terminal', text: `Runs in terminal ${content.terminalId}; its output is shown there.` });
    case 'content': {
      const block = content.content;
      if (block.type === 'text') return el('pre', { class: 'output', text: block.text });
      if (block.type === 'resource_link') return button(block.title ?? block.name, () => openLocation(block.uri.replace(/^file:\/\//, '')), { class: 'link' });
      return el('div', { class: 'note', text: `[${block.type}]` });
    }
  }
}

function locationLink(location: ToolCallLocation, openLocation: OpenLocation, inSummary: boolean): HTMLButtonElement {
  const line = location.line ?? undefined;
  const label = `${baseName(location.path)}${line ? `:${line}` : ''}`;
  return button(label, () => openLocation(location.path, line), { class: 'link location', title: location.path, inSummary, testid: 'location' });
}

function diffStats(content: readonly ToolCallContent[]): { added: number; removed: number } | undefined {
  const diffs = content.filter((item) => item.type === 'diff');
  if (diffs.length === 0) return undefined;
  let added = 0;
  let removed = 0;
  for (const diff of diffs) {
    const counted = diffLines(diff.oldText ?? '', diff.newText);
    added += counted.added;
    removed += counted.removed;
  }
  return { added, removed };
}

/** The shell command of an execute call, when its input names one. */
export function commandOf(rawInput: unknown): string | undefined {
  const command = (rawInput as { command?: unknown } | null | undefined)?.command;
  if (typeof command === 'string') return command;
  if (Array.isArray(command) && command.every((part) => typeof part === 'string')) return command.join(' ');
  return undefined;
}

function rawText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

function rawInputDetails(rawInput: unknown): HTMLElement {
  return el('details', { class: 'raw-input' }, [el('summary', { text: 'Input' }), el('pre', { class: 'output', text: clipText(rawText(rawInput), RAW_LIMIT) })]);
}
