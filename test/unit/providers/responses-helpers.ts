// Shared pieces of the Responses provider tests: a scripted tool-calling conversation and a
// driver that plays the agent loop's part (history items in, tool results back) against a provider.
import type { HistoryItem } from '../../../server/loop/items';
import type { RecordedResponsesRequest, ScriptedTurn } from '../../../server/demo/scripted-responses-server';
import { ProviderError, type CallMetrics, type ModelProvider, type ModelRequest, type ToolSchema } from '../../../server/providers/types';

export const KEY = 'sk-test-SECRET-responses-0123456789';

export const TOOLS: ToolSchema[] = [
  { name: 'read_file', description: 'Reads a file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
  { name: 'grep', description: 'Searches files', parameters: { type: 'object', properties: { pattern: { type: 'string' } } } },
];

/**
 * What a tool returns in these conversations: about 2 KB of source-like text that varies per
 * call (pseudo-random, deterministic), so neither the bytes nor their deflated size flatter anyone.
 */
export function toolOutput(callId: string): string {
  let seed = [...callId].reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) >>> 0, 7);
  const lines = [`// contents for ${callId}`];
  for (let line = 0; line < 40; line++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    lines.push(`export const value${line} = '${seed.toString(36)}${(seed >>> 7).toString(16)}'; // line ${line}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A script that depends only on the conversation so far (never on the request index), so a
 * retried or resent request gets the same answer: `calls` tool calls, one per turn, then a summary.
 */
export function toolScript(calls: number): (request: RecordedResponsesRequest) => ScriptedTurn {
  return (request) => {
    const done = request.input.filter((item: { type?: string }) => item.type === 'function_call_output').length;
    if (done >= calls) return { text: `Read ${done} files; all good.`, thinking: 'Summing up.' };
    const n = done + 1;
    return { thinking: `I should read file ${n}.`, toolCalls: [{ id: `call_${n}`, name: 'read_file', arguments: { path: `src/file${n}.ts` } }] };
  };
}

export interface RunResult {
  items: HistoryItem[];
  metrics: CallMetrics[];
  /** Every tool call id the provider emitted, failed attempts included. */
  emittedCalls: string[];
  /** Retryable errors the driver met and retried. */
  retriedErrors: ProviderError[];
}

export interface RunOptions {
  conversationId?: string;
  request?: Partial<ModelRequest>;
  /** Called before each model call with its index; may change the request or disturb the server. */
  beforeCall?: (index: number, request: ModelRequest) => Promise<ModelRequest | void> | ModelRequest | void;
  maxCalls?: number;
  signal?: AbortSignal;
}

/** Plays the agent loop: call, record the assistant item, answer every tool call, repeat. */
export async function runConversation(provider: ModelProvider, prompt: string, options: RunOptions = {}): Promise<RunResult> {
  const result: RunResult = { items: [{ type: 'user', parts: [{ type: 'text', text: prompt }] }], metrics: [], emittedCalls: [], retriedErrors: [] };
  for (let index = 0; index < (options.maxCalls ?? 40); index++) {
    let request: ModelRequest = {
      conversationId: options.conversationId ?? 'conversation-1',
      model: 'scripted-model',
      instructions: 'You are a careful coding agent.',
      tools: TOOLS,
      ...options.request,
      items: [...result.items],
    };
    request = (await options.beforeCall?.(index, request)) ?? request;
    const assistant = await callWithOneRetry(provider, request, result, options.signal);
    result.items.push(assistant);
    if (assistant.toolCalls.length === 0) return result;
    for (const call of assistant.toolCalls) result.items.push({ type: 'tool_result', callId: call.id, name: call.name, output: toolOutput(call.id), isError: false });
  }
  throw new Error('the conversation did not end');
}

type Assistant = Extract<HistoryItem, { type: 'assistant' }>;

/** A caller retries a retryable failure once, as a user pressing "retry" would. */
async function callWithOneRetry(provider: ModelProvider, request: ModelRequest, result: RunResult, signal?: AbortSignal): Promise<Assistant> {
  try {
    return await callOnce(provider, request, result, signal);
  } catch (error) {
    if (!(error instanceof ProviderError) || !error.retryable) throw error;
    result.retriedErrors.push(error);
    return callOnce(provider, request, result, signal);
  }
}

export async function callOnce(provider: ModelProvider, request: ModelRequest, result: RunResult, signal = new AbortController().signal): Promise<Assistant> {
  const assistant: Assistant = { type: 'assistant', text: '', toolCalls: [] };
  let thinking = '';
  for await (const event of provider.stream(request, signal)) {
    if (event.type === 'text_delta') assistant.text += event.text;
    else if (event.type === 'thinking_delta') thinking += event.text;
    else if (event.type === 'tool_call') {
      result.emittedCalls.push(event.call.id);
      assistant.toolCalls.push({ ...event.call });
    } else if (event.type === 'provider_data') assistant.providerData = event.data;
    else if (event.type === 'done') result.metrics.push(event.metrics);
  }
  if (thinking) assistant.thinking = thinking;
  return assistant;
}

/** History without provider data (which holds server-side item ids that differ between runs). */
export function comparable(items: HistoryItem[]): unknown[] {
  return items.map((item) => {
    if (item.type !== 'assistant') return item;
    const { providerData: _providerData, ...rest } = item;
    return rest;
  });
}

/** Input items with the server-side ids and statuses a stateless replay drops. */
export function withoutIds(items: Record<string, unknown>[]): unknown[] {
  return items.map((item) => Object.fromEntries(Object.entries(item).filter(([key]) => key !== 'id' && key !== 'status')));
}

export function types(items: { type?: string }[]): string[] {
  return items.map((item) => item.type ?? 'message');
}
