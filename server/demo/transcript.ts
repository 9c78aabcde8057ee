// Prints an ACP session as a readable transcript: streamed messages and thoughts, tool calls
// with their status, the plan, diffs as unified diffs, shell output and permission requests.
// It only reads protocol messages, so it works the same for a real and a recorded model.
import { relative } from 'node:path';
import type * as acp from '@agentclientprotocol/sdk';
import { createPatch } from 'diff';

export interface TranscriptOptions {
  write: (text: string) => void;
  color?: boolean;
  /** Paths in diffs and titles are shown relative to this. */
  cwd?: string;
  /** Lines of tool output shown before eliding the middle. */
  maxOutputLines?: number;
}

/** Totals the agent reports in usage_update `_meta.tether.totals`, if it does. */
export interface AgentUsageTotals {
  modelCalls?: number;
  bytesSent?: number;
  bytesReceived?: number;
  inputTokens?: number;
  outputTokens?: number;
}

interface ToolState {
  title: string;
  kind: string;
  status: string;
  printedDiffs: Set<string>;
  printedOutput: boolean;
}

const CODES = { dim: 2, bold: 1, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36 } as const;
type Style = keyof typeof CODES;

const STATUS_MARK: Record<string, string> = { pending: '[ ]', in_progress: '[~]', completed: '[x]' };

export class TranscriptPrinter {
  readonly tools = new Map<string, ToolState>();
  readonly events: string[] = [];
  usage?: AgentUsageTotals;
  plan: acp.PlanEntry[] = [];
  permissionCount = 0;
  private streaming: 'message' | 'thought' | undefined;
  private readonly maxOutputLines: number;

  constructor(private readonly options: TranscriptOptions) {
    this.maxOutputLines = options.maxOutputLines ?? 16;
  }

  paint(style: Style, text: string): string {
    return this.options.color ? `\x1b[${CODES[style]}m${text}\x1b[0m` : text;
  }

  /** Writes whole lines, closing any streamed message first. */
  line(text = ''): void {
    this.endStream();
    this.options.write(`${text}\n`);
  }

  heading(text: string): void {
    this.line();
    this.line(this.paint('bold', `── ${text} ${'─'.repeat(Math.max(3, 60 - text.length))}`));
  }

  userPrompt(text: string): void {
    this.heading('you');
    this.line(text);
    this.heading('tether');
  }

  update(update: acp.SessionUpdate): void {
    switch (update.sessionUpdate) {
      case 'agent_message_chunk':
        return this.stream('message', update.content);
      case 'agent_thought_chunk':
        return this.stream('thought', update.content);
      case 'tool_call':
        return this.toolCall(update);
      case 'tool_call_update':
        return this.toolCallUpdate(update);
      case 'plan':
        return this.printPlan(update.entries);
      case 'current_mode_update':
        this.events.push(`mode:${update.currentModeId}`);
        return this.line(this.paint('magenta', `  ⇄ mode is now ${update.currentModeId}`));
      case 'usage_update': {
        const totals = (update._meta as { tether?: { totals?: AgentUsageTotals } } | null | undefined)?.tether?.totals;
        if (totals) this.usage = totals;
        return;
      }
      default:
        return; // available commands, config options, session info: not part of the story
    }
  }

  permission(request: acp.RequestPermissionRequest, chosen: acp.PermissionOption | undefined): void {
    this.permissionCount += 1;
    const title = request.toolCall.title ?? this.tools.get(request.toolCall.toolCallId)?.title ?? request.toolCall.toolCallId;
    this.events.push(`permission:${request.toolCall.kind ?? this.tools.get(request.toolCall.toolCallId)?.kind ?? 'other'}`);
    this.line(this.paint('yellow', `  ? permission requested: ${title}`));
    for (const option of request.options) {
      const mark = option.optionId === chosen?.optionId ? '→' : ' ';
      this.line(this.paint(option.optionId === chosen?.optionId ? 'yellow' : 'dim', `      ${mark} ${option.name} (${option.kind})`));
    }
    if (!chosen) this.line(this.paint('yellow', '      → cancelled'));
    for (const content of request.toolCall.content ?? []) {
      // What the user is asked to approve (a plan, a command) is shown in full.
      if (content.type === 'content' && content.content.type === 'text') this.printOutput(content.content.text, 80);
      else this.content(request.toolCall.toolCallId, content);
    }
  }

  private stream(kind: 'message' | 'thought', content: acp.ContentBlock): void {
    if (content.type !== 'text') return;
    if (this.streaming !== kind) {
      this.endStream();
      this.events.push(kind);
      this.options.write(kind === 'message' ? this.paint('bold', 'tether › ') : this.paint('dim', 'thinking › '));
      this.streaming = kind;
    }
    this.options.write(kind === 'thought' ? this.paint('dim', content.text) : content.text);
  }

  private endStream(): void {
    if (this.streaming) this.options.write('\n');
    this.streaming = undefined;
  }

  private toolCall(update: acp.ToolCall): void {
    const state: ToolState = {
      title: update.title,
      kind: update.kind ?? 'other',
      status: update.status ?? 'pending',
      printedDiffs: new Set(),
      printedOutput: false,
    };
    this.tools.set(update.toolCallId, state);
    this.events.push(`tool:${state.kind}`);
    this.line(this.paint('cyan', `  ▸ ${this.shorten(state.title)}`) + this.paint('dim', `  [${state.kind}]`));
    for (const content of update.content ?? []) this.content(update.toolCallId, content);
    if (state.status === 'completed' || state.status === 'failed') this.finish(state);
  }

  private toolCallUpdate(update: acp.ToolCallUpdate): void {
    let state = this.tools.get(update.toolCallId);
    if (!state) {
      state = { title: update.title ?? update.toolCallId, kind: update.kind ?? 'other', status: 'pending', printedDiffs: new Set(), printedOutput: false };
      this.tools.set(update.toolCallId, state);
    }
    if (update.title) state.title = update.title;
    if (update.kind) state.kind = update.kind;
    const finished = (update.status === 'completed' || update.status === 'failed') && state.status !== update.status;
    if (update.status) state.status = update.status;
    for (const content of update.content ?? []) {
      if (content.type === 'diff' || finished) this.content(update.toolCallId, content);
    }
    if (finished) this.finish(state);
  }

  private finish(state: ToolState): void {
    this.events.push(`${state.status}:${state.kind}`);
    const mark = state.status === 'completed' ? this.paint('green', '✓') : this.paint('red', '✗');
    this.line(`  ${mark} ${this.paint('dim', `${this.shorten(state.title)} — ${state.status}`)}`);
  }

  private content(toolCallId: string, content: acp.ToolCallContent): void {
    const state = this.tools.get(toolCallId);
    if (content.type === 'diff') {
      const key = `${content.path}\0${content.newText}`;
      if (state?.printedDiffs.has(key)) return;
      state?.printedDiffs.add(key);
      this.events.push('diff');
      return this.printDiff(content.path, content.oldText ?? null, content.newText);
    }
    if (content.type === 'terminal') return this.line(this.paint('dim', `    (output in terminal ${content.terminalId})`));
    if (content.content.type !== 'text' || !content.content.text.trim()) return;
    // Reads and searches: the model needs the text, the reader does not.
    if (state && ['read', 'search', 'think', 'switch_mode'].includes(state.kind) && state.status !== 'failed') return;
    if (state?.printedOutput) return;
    if (state) state.printedOutput = true;
    if (state?.kind === 'execute') this.events.push('shell-output');
    this.printOutput(content.content.text);
  }

  private printOutput(text: string, maxLines = this.maxOutputLines): void {
    let lines = text.replace(/\s+$/, '').split('\n');
    if (lines.length > maxLines) {
      const head = Math.floor(maxLines / 3);
      const tail = maxLines - head;
      lines = [...lines.slice(0, head), `… ${lines.length - head - tail} lines elided …`, ...lines.slice(-tail)];
    }
    for (const line of lines) this.line(this.paint('dim', `    │ ${line}`));
  }

  printDiff(path: string, oldText: string | null, newText: string): void {
    const shown = this.options.cwd ? relative(this.options.cwd, path) || path : path;
    const patch = createPatch(shown, oldText ?? '', newText, oldText === null ? '(new file)' : '', '', { context: 2 });
    for (const line of patch.split('\n')) {
      if (line === '' || line.startsWith('\\') || line.startsWith('Index: ') || /^=+$/.test(line)) continue;
      const style: Style | undefined = line.startsWith('+++') || line.startsWith('---') ? 'bold' : line.startsWith('@@') ? 'cyan' : line.startsWith('+') ? 'green' : line.startsWith('-') ? 'red' : undefined;
      this.line(`    ${style ? this.paint(style, line) : line}`);
    }
  }

  private printPlan(entries: acp.PlanEntry[]): void {
    this.plan = entries;
    const done = entries.filter((e) => e.status === 'completed').length;
    this.events.push(done === entries.length && entries.length > 0 ? 'plan-done' : 'plan');
    this.line(this.paint('blue', `  ◆ plan (${done}/${entries.length} done)`));
    for (const entry of entries) this.line(`    ${STATUS_MARK[entry.status] ?? '[?]'} ${entry.content}`);
  }

  private shorten(text: string): string {
    const cwd = this.options.cwd;
    const relativeText = cwd ? text.split(`${cwd}/`).join('') : text;
    return relativeText.length > 100 ? `${relativeText.slice(0, 97)}…` : relativeText;
  }
}
