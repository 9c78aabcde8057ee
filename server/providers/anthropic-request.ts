// Builds the Anthropic Messages request body from neutral history items.
// Keys are written in a fixed order so the same history always serializes to the same bytes,
// and assistant turns are replayed from their stored blocks so signed thinking survives.
import type { HistoryItem, UserPart } from '../loop/items';
import {
  isThinkingBlock,
  readProviderData,
  toolInputOf,
  type AssistantBlock,
  type CacheControl,
  type ContentBlock,
  type TextBlock,
  type UserBlock,
  type WireMessage,
} from './anthropic-content';
import type { ModelRequest, ToolSchema } from './types';

/** `adaptive` lets the model decide (Claude 4.6 and later); `enabled` sets a fixed budget (older models). */
export type AnthropicThinking = { type: 'adaptive' } | { type: 'enabled'; budgetTokens: number };

export interface AnthropicRequestOptions {
  /** max_tokens when the request sets none; the API requires the field. */
  defaultMaxTokens: number;
  thinking?: AnthropicThinking;
}

export interface WireTool {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
  cache_control?: CacheControl;
}

/** The API rejects a request with more cache_control breakpoints than this. */
export const MAX_CACHE_BREAKPOINTS = 4;
export const DEFAULT_MAX_TOKENS = 8192;

/** Serialized JSON body of a streaming Messages request. */
export function buildAnthropicRequestBody(request: ModelRequest, options: AnthropicRequestOptions): string {
  const system: TextBlock[] | undefined = request.instructions ? [{ type: 'text', text: request.instructions }] : undefined;
  const tools = request.tools.map(wireTool);
  const messages = buildAnthropicMessages(request.items);
  placeCacheBreakpoints(system, tools, messages);
  const body: Record<string, unknown> = { model: request.model, max_tokens: maxTokensOf(request, options) };
  if (system) body.system = system;
  if (tools.length > 0) body.tools = tools;
  body.messages = messages;
  if (options.thinking) body.thinking = thinkingParam(options.thinking);
  body.stream = true;
  return JSON.stringify(body);
}

function maxTokensOf(request: ModelRequest, options: AnthropicRequestOptions): number {
  const wanted = request.maxOutputTokens ?? options.defaultMaxTokens;
  // The thinking budget is part of max_tokens and must stay below it, or the API answers 400.
  const budget = options.thinking?.type === 'enabled' ? options.thinking.budgetTokens : 0;
  return budget >= wanted ? budget + options.defaultMaxTokens : wanted;
}

function thinkingParam(thinking: AnthropicThinking): Record<string, unknown> {
  return thinking.type === 'adaptive' ? { type: 'adaptive' } : { type: 'enabled', budget_tokens: thinking.budgetTokens };
}

function wireTool(tool: ToolSchema): WireTool {
  return { name: tool.name, description: tool.description, input_schema: tool.parameters };
}

/**
 * History as Messages: consecutive items of one role share a message, so parallel tool
 * results travel together in one user message, right after the assistant's tool_use blocks.
 */
export function buildAnthropicMessages(items: HistoryItem[]): WireMessage[] {
  const messages: WireMessage[] = [];
  const push = (role: WireMessage['role'], content: ContentBlock[]) => {
    if (content.length === 0) return; // the API rejects empty messages
    const last = messages.at(-1);
    if (last?.role === role) last.content.push(...content);
    else messages.push({ role, content });
  };
  for (const item of items) {
    if (item.type === 'user') push('user', item.parts.flatMap(userBlock));
    else if (item.type === 'assistant') push('assistant', assistantBlocks(item));
    else push('user', [toolResultBlock(item)]);
  }
  return messages;
}

function userBlock(part: UserPart): UserBlock[] {
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [{ type: 'text', text: part.text }];
    case 'image':
      return [{ type: 'image', source: { type: 'base64', media_type: part.mimeType, data: part.data } }];
    case 'resource':
      return [{ type: 'text', text: resourceText(part.uri, part.text) }];
  }
}

function resourceText(uri: string, text: string): string {
  const trailer = text.endsWith('\n') ? '' : '\n';
  return `<file uri="${uri}">\n${text}${trailer}</file>`;
}

function toolResultBlock(item: Extract<HistoryItem, { type: 'tool_result' }>): UserBlock {
  const block: UserBlock = { type: 'tool_result', tool_use_id: item.callId };
  // An empty string is not valid content; an absent one is.
  if (item.output !== '') block.content = item.output;
  if (item.isError) block.is_error = true;
  return block;
}

type AssistantItem = Extract<HistoryItem, { type: 'assistant' }>;

/**
 * The reply's own blocks when stored and still matching the item; otherwise rebuilt from its
 * text and tool calls, keeping any signed thinking. Unsigned thinking text is dropped: the API
 * refuses a thinking block without its signature.
 */
function assistantBlocks(item: AssistantItem): AssistantBlock[] {
  const stored = readProviderData(item.providerData);
  // Copies, so placing cache breakpoints never writes into stored history.
  if (stored && matchesItem(stored, item)) return stored.filter((b) => b.type !== 'text' || b.text !== '').map((b) => ({ ...b }));
  const blocks: AssistantBlock[] = (stored ?? []).filter(isThinkingBlock).map((b) => ({ ...b }));
  if (item.text) blocks.push({ type: 'text', text: item.text });
  for (const call of item.toolCalls) blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: toolInputOf(call.argumentsJson) });
  return blocks;
}

/** Stored blocks are used only while they say what the item says: same text, same tool calls in order. */
function matchesItem(blocks: AssistantBlock[], item: AssistantItem): boolean {
  const text = blocks.map((b) => (b.type === 'text' ? b.text : '')).join('');
  const ids = blocks.flatMap((b) => (b.type === 'tool_use' ? [b.id] : []));
  return text === item.text && ids.length === item.toolCalls.length && ids.every((id, i) => id === item.toolCalls[i]?.id);
}

const EPHEMERAL: CacheControl = { type: 'ephemeral' };

/**
 * Prompt-cache breakpoints. The API renders tools, then system, then messages, and caches the
 * prefix ending at each breakpoint. Three are used, below the limit of four:
 *  - the end of the stable prefix: the system block (which follows the tools), else the last tool;
 *  - the last block of the conversation: the moving tail the next call will start from;
 *  - the last block of the previous user message: where the previous call's tail sat, so this
 *    call reads it exactly even when the latest turn added more blocks than the API looks back over.
 */
export function placeCacheBreakpoints(system: TextBlock[] | undefined, tools: WireTool[], messages: WireMessage[]): void {
  const targets: { cache_control?: CacheControl }[] = [];
  const stable = system?.at(-1) ?? tools.at(-1);
  if (stable) targets.push(stable);
  const lastIndex = messages.length - 1;
  const tail = cacheableBlock(messages[lastIndex]);
  if (tail) targets.push(tail);
  let previous = lastIndex - 1;
  while (previous >= 0 && messages[previous]?.role !== 'user') previous--;
  const previousBlock = cacheableBlock(messages[previous]);
  if (previousBlock) targets.push(previousBlock);
  for (const target of targets.slice(0, MAX_CACHE_BREAKPOINTS)) target.cache_control = { ...EPHEMERAL };
}

type CacheableBlock = Exclude<ContentBlock, { type: 'thinking' | 'redacted_thinking' }>;

/** The last block that may carry cache_control: thinking blocks may not. */
function cacheableBlock(message: WireMessage | undefined): CacheableBlock | undefined {
  if (!message) return undefined;
  for (let i = message.content.length - 1; i >= 0; i--) {
    const block = message.content[i]!;
    if (!isThinkingBlock(block)) return block;
  }
  return undefined;
}
