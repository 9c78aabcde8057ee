// The conversation folded from ACP session updates. Consecutive chunks of one kind join into
// one message, tool calls merge by id, the plan is replaced whole. Pure (no DOM): every entry
// carries a version so the renderer redraws only what changed.
import type { AvailableCommand, ContentBlock, PlanEntry, SessionConfigOption, SessionUpdate, ToolCallContent, ToolCallLocation, ToolCallStatus, ToolKind } from '@agentclientprotocol/sdk';
import { readUsage, type Usage } from './usage';

export type MessageRole = 'user' | 'agent' | 'thought';

interface EntryBase {
  /** Stable within one Transcript: the renderer keys its nodes by it. */
  id: string;
  /** Bumped on every change, so an unchanged entry is never redrawn. */
  version: number;
}

export interface MessageEntry extends EntryBase {
  type: 'message';
  role: MessageRole;
  text: string;
  messageId?: string;
}

export interface ToolEntry extends EntryBase {
  type: 'tool';
  toolCallId: string;
  title: string;
  kind: ToolKind;
  status: ToolCallStatus;
  content: ToolCallContent[];
  locations: ToolCallLocation[];
  rawInput?: unknown;
  rawOutput?: unknown;
}

/** Something the agent tells the user outside the conversation: a notice, a compaction. */
export interface NoticeEntry extends EntryBase {
  type: 'notice';
  /** For entries updated in place (a compaction's id). */
  key?: string;
  severity: string;
  title: string;
  description?: string;
}

export type Entry = MessageEntry | ToolEntry | NoticeEntry;

/** What an update changed, so the panel redraws only that part. */
export type TranscriptChange = 'entries' | 'plan' | 'session' | 'usage' | 'commands' | 'none';

type ToolUpdate = Extract<SessionUpdate, { sessionUpdate: 'tool_call' | 'tool_call_update' }>;
type ChunkUpdate = Extract<SessionUpdate, { sessionUpdate: 'user_message_chunk' | 'agent_message_chunk' | 'agent_thought_chunk' }>;

const ROLES = { user_message_chunk: 'user', agent_message_chunk: 'agent', agent_thought_chunk: 'thought' } as const;

export class Transcript {
  readonly entries: Entry[] = [];
  plan: PlanEntry[] = [];
  title: string | undefined;
  /** Undefined until an update brings them (the session view has the first ones). */
  configOptions: SessionConfigOption[] | undefined;
  currentModeId: string | undefined;
  commands: AvailableCommand[] = [];
  usage: Usage = {};
  /** From the server's turn markers; undefined until one arrives. */
  running: boolean | undefined;
  private readonly tools = new Map<string, ToolEntry>();
  private readonly keyed = new Map<string, NoticeEntry>();
  private nextId = 0;
  /** A turn began or ended: the next chunk starts a new message even if its kind repeats. */
  private breakNext = false;

  apply(update: SessionUpdate): TranscriptChange {
    switch (update.sessionUpdate) {
      case 'user_message_chunk':
      case 'agent_message_chunk':
      case 'agent_thought_chunk':
        return this.chunk(update);
      case 'tool_call':
      case 'tool_call_update':
        return this.tool(update);
      case 'plan':
        this.plan = update.entries;
        return 'plan';
      case 'available_commands_update':
        this.commands = update.availableCommands;
        return 'commands';
      case 'current_mode_update':
        this.currentModeId = update.currentModeId;
        return 'session';
      case 'config_option_update':
        this.configOptions = update.configOptions;
        return 'session';
      case 'session_info_update':
        return this.info(update);
      case 'usage_update':
        this.usage = readUsage(update);
        return 'usage';
      case 'notice':
        this.push({ type: 'notice', id: '', version: 0, severity: update.severity, title: update.title, description: update.description ?? undefined });
        return 'entries';
      case 'compaction_update':
        return this.compaction(update);
      default:
        return 'none';
    }
  }

  private push(entry: Entry): void {
    entry.id = `e${this.nextId++}`;
    this.entries.push(entry);
  }

  private chunk(update: ChunkUpdate): TranscriptChange {
    const role = ROLES[update.sessionUpdate];
    const text = blockText(update.content, role);
    const messageId = update.messageId ?? undefined;
    const last = this.entries.at(-1);
    const sameMessage = last?.type === 'message' && last.role === role && !this.breakNext && (!messageId || !last.messageId || messageId === last.messageId);
    this.breakNext = false;
    if (sameMessage) {
      last.text += text;
      last.version++;
      if (messageId) last.messageId = messageId;
    } else {
      this.push({ type: 'message', id: '', version: 0, role, text, messageId });
    }
    return 'entries';
  }

  private tool(update: ToolUpdate): TranscriptChange {
    let entry = this.tools.get(update.toolCallId);
    if (!entry) {
      entry = { type: 'tool', id: '', version: 0, toolCallId: update.toolCallId, title: 'Tool call', kind: 'other', status: 'pending', content: [], locations: [] };
      this.tools.set(update.toolCallId, entry);
      this.push(entry);
    }
    // A field left out of an update keeps its value (ACP: only what changed is sent).
    if (update.title) entry.title = update.title;
    if (update.kind) entry.kind = update.kind;
    if (update.status) entry.status = update.status;
    if (update.content) entry.content = update.content;
    if (update.locations) entry.locations = update.locations;
    if (update.rawInput !== undefined) entry.rawInput = update.rawInput;
    if (update.rawOutput !== undefined) entry.rawOutput = update.rawOutput;
    entry.version++;
    return 'entries';
  }

  private info(update: Extract<SessionUpdate, { sessionUpdate: 'session_info_update' }>): TranscriptChange {
    if (typeof update.title === 'string') this.title = update.title;
    const turn = turnStateOf(update._meta);
    if (turn) {
      this.running = turn === 'running';
      this.breakNext = true;
    }
    return 'session';
  }

  private compaction(update: Extract<SessionUpdate, { sessionUpdate: 'compaction_update' }>): TranscriptChange {
    const key = `compaction:${update.compactionId}`;
    const titles: Record<string, string> = { in_progress: 'Compacting the conversation…', completed: 'Conversation compacted', failed: 'Compaction failed', cancelled: 'Compaction cancelled' };
    const title = titles[update.status] ?? `Compaction ${update.status}`;
    const severity = update.status === 'failed' ? 'error' : 'info';
    const existing = this.keyed.get(key);
    if (existing) {
      Object.assign(existing, { title, severity, description: update.error ?? existing.description });
      existing.version++;
    } else {
      const entry: NoticeEntry = { type: 'notice', id: '', version: 0, key, severity, title, description: update.error ?? undefined };
      this.keyed.set(key, entry);
      this.push(entry);
    }
    return 'entries';
  }
}

/** `_meta.tether.turn.state` of a session_info_update. */
export function turnStateOf(meta: unknown): 'running' | 'idle' | undefined {
  const state = (meta as { tether?: { turn?: { state?: unknown } } } | null | undefined)?.tether?.turn?.state;
  return state === 'running' || state === 'idle' ? state : undefined;
}

/** Text for a content block; non-text blocks get a short stand-in (user text is shown plain). */
export function blockText(block: ContentBlock, role: MessageRole): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'resource_link':
      return role === 'user' ? `@${block.name}` : `[${block.title ?? block.name}](${block.uri})`;
    case 'resource':
      return role === 'user' ? `@${block.resource.uri}` : `\`${block.resource.uri}\``;
    default:
      return `[${block.type}]`;
  }
}
