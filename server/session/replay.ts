// Turns a session log back into a session: what clients were shown, the model's context, the
// settings and rules in force, and what a crash left open so it can be closed honestly.
import type { SessionUpdate, ToolCallContent, ToolCallStatus } from '@agentclientprotocol/sdk';
import type { PermissionRule } from '../permissions/session-rules';
import type { HistoryItem } from '../loop/items';
import type { LogRecord, SessionHeader } from './records';
import { isTurnMarker, turnMarker } from './turn-updates';

export const INTERRUPTED_TOOL_TEXT = 'Interrupted: Tether stopped before this tool call finished.';
export const INTERRUPTED_TOOL_OUTPUT = 'Interrupted: Tether stopped before this tool call finished; it may have run partly or not at all.';
export const INTERRUPTED_STOP_REASON = 'interrupted';

export interface ReplayedUpdate {
  /** For a coalesced chunk, the seq of the last chunk merged into it. */
  seq: number;
  update: SessionUpdate;
}

export interface ToolCallState {
  status: ToolCallStatus;
  /** The latest content clients were shown; an update's content replaces it wholesale. */
  content: ToolCallContent[];
}

export interface RebuiltSession {
  header: SessionHeader;
  updates: ReplayedUpdate[];
  history: HistoryItem[];
  mode?: string;
  model?: string;
  title?: string;
  /** The sandbox policy the user chose for commands, if they changed it. */
  sandbox?: string;
  /** One rule per scope, the latest decision winning. */
  rules: PermissionRule[];
  /** Highest update seq in the log; 0 when there is none. */
  lastSeq: number;
  openTurn: boolean;
  openTurnId?: string;
  /** Tool calls whose latest status is neither completed nor failed, in the order they began. */
  openToolCalls: string[];
  toolCalls: Map<string, ToolCallState>;
  /** Assistant tool calls with no tool_result in history; the model API rejects such a context. */
  unansweredToolCalls: Array<{ id: string; name: string }>;
}

type TextChunk = Extract<SessionUpdate, { sessionUpdate: 'agent_message_chunk' | 'agent_thought_chunk' | 'user_message_chunk' }> & {
  content: { type: 'text'; text: string };
};

const CHUNK_KINDS = new Set(['agent_message_chunk', 'agent_thought_chunk', 'user_message_chunk']);

/** A chunk that is plain text and nothing else, so merging it with a neighbour loses nothing. */
function isPlainTextChunk(update: SessionUpdate): update is TextChunk {
  if (!CHUNK_KINDS.has(update.sessionUpdate) || !('content' in update)) return false;
  const content = update.content as { type: string; annotations?: unknown; _meta?: unknown };
  return content.type === 'text' && content.annotations == null && content._meta == null && update._meta == null;
}

function canMerge(previous: SessionUpdate, next: SessionUpdate): boolean {
  return (
    isPlainTextChunk(previous) && isPlainTextChunk(next) &&
    previous.sessionUpdate === next.sessionUpdate && (previous.messageId ?? null) === (next.messageId ?? null)
  );
}

class Rebuilder {
  readonly updates: ReplayedUpdate[] = [];
  readonly history: HistoryItem[] = [];
  readonly settings: { mode?: string; model?: string; title?: string; sandbox?: string } = {};
  readonly rules = new Map<string, PermissionRule['decision']>();
  readonly toolCalls = new Map<string, ToolCallState>();
  lastSeq = 0;
  openTurnId?: string;
  /** Turn boundaries end a message even when the next chunk looks like its continuation. */
  private mergeOpen = false;

  add(record: LogRecord): void {
    switch (record.t) {
      case 'session':
        return; // Only the first header counts; the caller took it.
      case 'update':
        return this.addUpdate(record.seq, record.update);
      case 'history':
        this.history.push(record.item);
        return;
      case 'turn_start':
        this.openTurnId = record.turnId;
        this.mergeOpen = false;
        return;
      case 'turn_end':
        if (this.openTurnId === record.turnId) this.openTurnId = undefined;
        this.mergeOpen = false;
        return;
      case 'settings':
        if (record.mode !== undefined) this.settings.mode = record.mode;
        if (record.model !== undefined) this.settings.model = record.model;
        if (record.title !== undefined) this.settings.title = record.title;
        if (record.sandbox !== undefined) this.settings.sandbox = record.sandbox;
        return;
      case 'rule':
        this.rules.delete(record.scope); // Re-insert so the order is that of the latest decisions.
        this.rules.set(record.scope, record.decision);
        break;
      case 'rule_revoked':
        this.rules.delete(record.scope);
        return;
    }
  }

  private addUpdate(seq: number, update: SessionUpdate): void {
    this.lastSeq = Math.max(this.lastSeq, seq);
    // Turn markers are logged (seqs stay consecutive, so reattach replays them in order) but
    // describe live state, not the conversation: a replayed "running" would make a loaded
    // session look busy. session/load and session/resume say `running` in their answer instead.
    if (isTurnMarker(update)) return;
    this.trackToolCall(update);
    const previous = this.updates.at(-1);
    if (this.mergeOpen && previous && canMerge(previous.update, update)) {
      const merged = previous.update as TextChunk;
      const text = merged.content.text + (update as TextChunk).content.text;
      this.updates[this.updates.length - 1] = { seq, update: { ...merged, content: { ...merged.content, text } } };
      return;
    }
    this.updates.push({ seq, update });
    this.mergeOpen = true;
  }

  private trackToolCall(update: SessionUpdate): void {
    if (update.sessionUpdate === 'tool_call') {
      this.toolCalls.set(update.toolCallId, { status: update.status ?? 'pending', content: update.content ?? [] });
    } else if (update.sessionUpdate === 'tool_call_update') {
      const known = this.toolCalls.get(update.toolCallId);
      this.toolCalls.set(update.toolCallId, {
        status: update.status ?? known?.status ?? 'pending',
        content: update.content ?? known?.content ?? [],
      });
    }
  }
}

function unansweredToolCalls(history: HistoryItem[]): Array<{ id: string; name: string }> {
  const pending = new Map<string, string>();
  for (const item of history) {
    if (item.type === 'assistant') for (const call of item.toolCalls) pending.set(call.id, call.name);
    else if (item.type === 'tool_result') pending.delete(item.callId);
  }
  return [...pending].map(([id, name]) => ({ id, name }));
}

/** Rebuilds a session from its records. Throws only if the log has no header to rebuild from. */
export function rebuildSession(records: readonly LogRecord[]): RebuiltSession {
  const header = records[0];
  if (header?.t !== 'session') throw new Error('cannot rebuild a session: its log does not start with a session header');
  const rebuilder = new Rebuilder();
  for (const record of records.slice(1)) rebuilder.add(record);
  const openToolCalls = [...rebuilder.toolCalls]
    .filter(([, state]) => state.status !== 'completed' && state.status !== 'failed')
    .map(([id]) => id);
  return {
    header,
    updates: rebuilder.updates,
    history: rebuilder.history,
    ...rebuilder.settings,
    rules: [...rebuilder.rules].map(([scope, decision]) => ({ scope, decision })),
    lastSeq: rebuilder.lastSeq,
    openTurn: rebuilder.openTurnId !== undefined,
    openTurnId: rebuilder.openTurnId,
    openToolCalls,
    toolCalls: rebuilder.toolCalls,
    unansweredToolCalls: unansweredToolCalls(rebuilder.history),
  };
}

/**
 * The records that close what a crash left open: each unfinished tool call is marked failed
 * (keeping what it had shown), each unanswered model tool call gets an error result so the
 * context stays valid, and an open turn is ended. Empty when the log was closed cleanly.
 */
export function interruptionRecords(rebuilt: RebuiltSession, now: Date): LogRecord[] {
  const at = now.toISOString();
  const records: LogRecord[] = [];
  let seq = rebuilt.lastSeq;
  for (const toolCallId of rebuilt.openToolCalls) {
    const shown = rebuilt.toolCalls.get(toolCallId)?.content ?? [];
    const notice: ToolCallContent = { type: 'content', content: { type: 'text', text: INTERRUPTED_TOOL_TEXT } };
    seq += 1;
    records.push({ t: 'update', seq, at, update: { sessionUpdate: 'tool_call_update', toolCallId, status: 'failed', content: [...shown, notice] } });
  }
  for (const call of rebuilt.unansweredToolCalls) {
    records.push({ t: 'history', item: { type: 'tool_result', callId: call.id, name: call.name, output: INTERRUPTED_TOOL_OUTPUT, isError: true } });
  }
  if (rebuilt.openTurnId !== undefined) {
    // Closes the logged "running" marker too, so a reattach from the journal ends idle.
    seq += 1;
    records.push({ t: 'update', seq, at, update: turnMarker({ state: 'idle', turnId: rebuilt.openTurnId, stopReason: INTERRUPTED_STOP_REASON }) });
    records.push({ t: 'turn_end', turnId: rebuilt.openTurnId, at, stopReason: INTERRUPTED_STOP_REASON });
  }
  return records;
}
