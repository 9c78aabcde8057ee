// Draws the transcript into its container, keyed by entry id: a text delta updates one
// message's view, a tool update one card; nothing else is touched.
import { el } from './dom';
import { MarkdownView } from './markdown';
import { ToolCardView, type OpenLocation } from './render-tool';
import type { Entry, MessageEntry, NoticeEntry } from './transcript';

interface EntryView {
  readonly node: HTMLElement;
  update(entry: Entry): void;
}

class UserMessageView implements EntryView {
  readonly node = el('div', { class: 'message user', testid: 'message-user' });
  update(entry: Entry): void {
    this.node.textContent = (entry as MessageEntry).text;
  }
}

class AgentMessageView implements EntryView {
  private readonly markdown = new MarkdownView('message agent', 'message-agent');
  readonly node = this.markdown.node;
  update(entry: Entry): void {
    this.markdown.update((entry as MessageEntry).text);
  }
}

/** Folded by default; its markdown is rendered only once the user opens it. */
class ThoughtView implements EntryView {
  readonly node = el('details', { class: 'thought', testid: 'thought' });
  private readonly label = el('span', { class: 'thought-label', text: 'Thought' });
  private readonly preview = el('span', { class: 'thought-preview' });
  private readonly markdown = new MarkdownView('thought-text');
  private text = '';

  constructor() {
    this.node.append(el('summary', {}, [this.label, this.preview]), this.markdown.node);
    this.node.addEventListener('toggle', () => this.node.open && this.markdown.update(this.text));
  }

  update(entry: Entry): void {
    this.text = (entry as MessageEntry).text;
    this.preview.textContent = firstLine(this.text);
    if (this.node.open) this.markdown.update(this.text);
  }

  setThinking(thinking: boolean): void {
    this.label.textContent = thinking ? 'Thinking…' : 'Thought';
    this.node.classList.toggle('active', thinking);
  }
}

class NoticeView implements EntryView {
  readonly node = el('div', { class: 'notice', testid: 'notice' });
  update(entry: Entry): void {
    const notice = entry as NoticeEntry;
    this.node.dataset.severity = notice.severity;
    this.node.replaceChildren(el('span', { class: 'notice-title', text: notice.title }), notice.description ? el('span', { class: 'notice-text', text: notice.description }) : '');
  }
}

class ToolView implements EntryView {
  private readonly card: ToolCardView;
  readonly node: HTMLElement;
  constructor(entry: Entry, openLocation: OpenLocation) {
    this.card = new ToolCardView(entry as Extract<Entry, { type: 'tool' }>, openLocation);
    this.node = this.card.node;
  }
  update(entry: Entry): void {
    this.card.update(entry as Extract<Entry, { type: 'tool' }>);
  }
}

function mark(view: EntryView | undefined, streaming: boolean): void {
  if (view instanceof ThoughtView) view.setThinking(streaming);
  else if (view instanceof AgentMessageView) view.node.classList.toggle('streaming', streaming);
}

function firstLine(text: string): string {
  const line = text.trim().split('\n', 1)[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}

export class TranscriptView {
  private readonly views = new Map<string, { view: EntryView; version: number }>();
  private lastEntry: Entry | undefined;
  private streaming: EntryView | undefined;

  constructor(
    private readonly container: HTMLElement,
    private readonly openLocation: OpenLocation,
  ) {}

  /** Forgets every view (a new transcript: its ids start over). */
  reset(): void {
    this.views.clear();
    this.lastEntry = undefined;
    this.streaming = undefined;
    this.container.replaceChildren();
  }

  sync(entries: readonly Entry[]): void {
    for (const entry of entries) {
      const known = this.views.get(entry.id);
      if (known) {
        if (known.version === entry.version) continue;
        known.view.update(entry);
        known.version = entry.version;
        continue;
      }
      const view = this.create(entry);
      view.update(entry);
      this.container.append(view.node);
      this.views.set(entry.id, { view, version: entry.version });
    }
    this.lastEntry = entries.at(-1);
  }

  /** While a turn runs, the last message shows it is still being written. */
  setStreaming(running: boolean): void {
    const last = running && this.lastEntry ? this.views.get(this.lastEntry.id)?.view : undefined;
    if (last === this.streaming) return;
    mark(this.streaming, false);
    mark(last, true);
    this.streaming = last;
  }

  private create(entry: Entry): EntryView {
    if (entry.type === 'tool') return new ToolView(entry, this.openLocation);
    if (entry.type === 'notice') return new NoticeView();
    if (entry.role === 'user') return new UserMessageView();
    if (entry.role === 'thought') return new ThoughtView();
    return new AgentMessageView();
  }
}
