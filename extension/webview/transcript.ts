// The conversation folded from ACP session updates: consecutive chunks of one kind join into
// one message, tool calls merge by id, the plan is replaced whole. Pure (no DOM): every entry
// carries a version so the renderer redraws only what changed.
import type { PlanEntry, SessionConfigOption, SessionUpdate, ToolCallContent, ToolCallLocation } from '@agentclientprotocol/sdk';

export type MessageRole = 'user' | 'agent' | 'thought';

export interface MessageEntry {
  type: 'message';
  id: string;
  role: MessageRole;
  text: string;
  version: number;
}

export interface ToolEntry {
  type: 'tool';
  id: string;
  toolCallId: string;
  title: string;
  kind: string;
  status: string;
  content: ToolCallContent[];
  locations: ToolCallLocation[];
  version: number;
}

export type Entry = MessageEntry | ToolEntry;

export interface Usage {
  used?: number;
  size?: number;
  sentBytes?: number;
  statelessBytes?: number;
  /** Tokens of every model call so far (input + output). */
  tokens?: number;
}

export class Transcript {
  entries: Entry[] = [];
  plan: PlanEntry[] = [];
  title: string | undefined;
  configOptions: SessionConfigOption[] | undefined;
  usage: Usage = {};
  private readonly tools = new Map<string, ToolEntry>();
  private nextId = 0;

  apply(update: SessionUpdate): void {
    switch (update.sessionUpdate) {
      case 'user_message_chunk':
      case 'agent_message_chunk':
      case 'agent_thought_chunk':
        return this.chunk(ROLES[update.sessionUpdate], update.content.type === 'text' ? update.content.text : `[${update.content.type}]`);
      case 'tool_call':
      case 'tool_call_update':
        return this.tool(update);
      case 'plan':
        this.plan = update.entries;
        return;
      case 'session_info_update':
        if (typeof update.title === 'string') this.title = update.title;
        return;
      case 'config_option_update':
        this.configOptions = update.configOptions;
        return;
      case 'usage_update':
        this.usage = readUsage(update as unknown as Record<string, unknown>);
        return;
      default:
        return;
    }
  }

  private chunk(role: MessageRole, text: string): void {
    const last = this.entries.at(-1);
    if (last?.type === 'message' && last.role === role) {
      last.text += text;
      last.version++;
      return;
    }
    this.entries.push({ type: 'message', id: `e${this.nextId++}`, role, text, version: 0 });
  }

  private tool(update: Extract<SessionUpdate, { sessionUpdate: 'tool_call' | 'tool_call_update' }>): void {
    let entry = this.tools.get(update.toolCallId);
    if (!entry) {
      entry = { type: 'tool', id: `e${this.nextId++}`, toolCallId: update.toolCallId, title: 'Tool call', kind: 'other', status: 'pending', content: [], locations: [], version: 0 };
      this.tools.set(update.toolCallId, entry);
      this.entries.push(entry);
    }
    if (update.title) entry.title = update.title;
    if (update.kind) entry.kind = update.kind;
    if (update.status) entry.status = update.status;
    if (update.content) entry.content = update.content;
    if (update.locations) entry.locations = update.locations;
    entry.version++;
  }
}

const ROLES = { user_message_chunk: 'user', agent_message_chunk: 'agent', agent_thought_chunk: 'thought' } as const;

function readUsage(update: Record<string, unknown>): Usage {
  const totals = ((update._meta as { tether?: { totals?: Record<string, unknown> } } | undefined)?.tether?.totals ?? {}) as Record<string, unknown>;
  const number = (value: unknown) => (typeof value === 'number' ? value : undefined);
  return {
    used: number(update.used),
    size: number(update.size),
    sentBytes: number(totals.bytesSent),
    statelessBytes: number(totals.statelessBytes),
    tokens: (number(totals.inputTokens) ?? 0) + (number(totals.outputTokens) ?? 0) || undefined,
  };
}
