// The event sequence of one scripted Responses turn, shaped like OpenAI's stream events,
// and its playback with pauses, drops and an endless mode. Both transports of the scripted
// Responses server use it: SSE frames over HTTP, text frames over the WebSocket.
import { setTimeout as delay } from 'node:timers/promises';

export interface ScriptedToolCall {
  id?: string;
  name: string;
  /** An object is sent as its JSON text; a string is sent verbatim (even if invalid JSON). */
  arguments: Record<string, unknown> | string;
}

export interface ScriptedTurn {
  text?: string;
  /** Streamed as a reasoning summary; the reasoning item also carries encrypted content. */
  thinking?: string;
  toolCalls?: ScriptedToolCall[];
  /** Default: counts estimated from byte sizes. */
  usage?: { input_tokens: number; output_tokens: number; cached_tokens?: number };
  /** End with `response.incomplete` for this reason. */
  incomplete?: 'max_output_tokens' | 'content_filter';
  /** End with `response.failed` right after `response.in_progress`. */
  fail?: { code: string; message?: string };
  /** Answer with this error: an HTTP status over HTTP, an `error` event over the socket. */
  httpError?: { status: number; body?: unknown; headers?: Record<string, string> };
  /** Stream the text over and over, slowly, until the client goes away. */
  hang?: boolean;
  /** Characters per streamed piece. Default 8. */
  chunkChars?: number;
  /** Pause before each event. Default 0 (20 ms when hanging). */
  chunkDelayMs?: number;
  /** Cut the connection after this many events (0: before the first). */
  dropAfterEvents?: number;
  /** WebSocket only: answer `websocket_connection_limit_reached` and close. */
  connectionLimit?: boolean;
}

export interface TurnContext {
  responseId: string;
  model: string;
  /** Distinguishes turns, so default item ids never repeat within a server's life. */
  serial: number;
  inputBytes: number;
  /** Leave `output` empty in `response.completed`, as the socket transport may. */
  sparseCompleted: boolean;
  /** The request's `include` asked for `reasoning.encrypted_content`. */
  encryptedReasoning: boolean;
}

type Json = Record<string, unknown>;

/** The output items the turn produces; the WebSocket cache keeps them. */
export function outputItems(turn: ScriptedTurn, ctx: TurnContext): Json[] {
  const items: Json[] = [];
  if (turn.thinking) {
    const reasoning: Json = { type: 'reasoning', id: `rs_${ctx.serial}`, summary: [{ type: 'summary_text', text: turn.thinking }] };
    if (ctx.encryptedReasoning) reasoning.encrypted_content = `enc:${Buffer.from(turn.thinking, 'utf8').toString('base64')}`;
    items.push(reasoning);
  }
  if (turn.text || turn.hang) {
    const content = [{ type: 'output_text', text: turn.text ?? '', annotations: [] }];
    items.push({ type: 'message', id: `msg_${ctx.serial}`, status: 'completed', role: 'assistant', content });
  }
  (turn.toolCalls ?? []).forEach((call, index) => {
    const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
    const callId = call.id ?? `call_scripted_${ctx.serial}_${index}`;
    items.push({ type: 'function_call', id: `fc_${ctx.serial}_${index}`, status: 'completed', call_id: callId, name: call.name, arguments: args });
  });
  return items;
}

/** Every event of the turn, in order; endless when the turn hangs. */
export function* turnEvents(turn: ScriptedTurn, ctx: TurnContext): Generator<Json> {
  const size = Math.max(1, turn.chunkChars ?? 8);
  const items = outputItems(turn, ctx);
  yield { type: 'response.created', response: responseObject(ctx, 'in_progress', []) };
  yield { type: 'response.in_progress', response: responseObject(ctx, 'in_progress', []) };
  if (turn.fail) {
    const error = { code: turn.fail.code, message: turn.fail.message ?? `scripted failure (${turn.fail.code})` };
    yield { type: 'response.failed', response: { ...responseObject(ctx, 'failed', []), error } };
    return;
  }
  for (const [index, item] of items.entries()) {
    if (turn.hang && item.type === 'message') return yield* endless(turn.text || 'still thinking… ', size, index, item);
    yield* itemEvents(item, index, size);
  }
  const usage = usageOf(turn, ctx, items);
  const output = ctx.sparseCompleted ? [] : items;
  if (turn.incomplete) {
    yield { type: 'response.incomplete', response: { ...responseObject(ctx, 'incomplete', output), usage, incomplete_details: { reason: turn.incomplete } } };
  } else {
    yield { type: 'response.completed', response: { ...responseObject(ctx, 'completed', output), usage } };
  }
}

function* itemEvents(item: Json, index: number, size: number): Generator<Json> {
  const base = { output_index: index, item_id: item.id };
  if (item.type === 'reasoning') {
    const text = (item.summary as { text: string }[])[0]?.text ?? '';
    yield { type: 'response.output_item.added', output_index: index, item: { ...item, summary: [], encrypted_content: null } };
    yield { type: 'response.reasoning_summary_part.added', ...base, summary_index: 0, part: { type: 'summary_text', text: '' } };
    for (const piece of split(text, size)) yield { type: 'response.reasoning_summary_text.delta', ...base, summary_index: 0, delta: piece };
    yield { type: 'response.reasoning_summary_text.done', ...base, summary_index: 0, text };
    yield { type: 'response.reasoning_summary_part.done', ...base, summary_index: 0, part: { type: 'summary_text', text } };
  } else if (item.type === 'message') {
    const text = (item.content as { text: string }[])[0]?.text ?? '';
    yield { type: 'response.output_item.added', output_index: index, item: { ...item, status: 'in_progress', content: [] } };
    yield { type: 'response.content_part.added', ...base, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } };
    for (const piece of split(text, size)) yield { type: 'response.output_text.delta', ...base, content_index: 0, delta: piece, logprobs: [] };
    yield { type: 'response.output_text.done', ...base, content_index: 0, text, logprobs: [] };
    yield { type: 'response.content_part.done', ...base, content_index: 0, part: { type: 'output_text', text, annotations: [] } };
  } else {
    const args = String(item.arguments);
    yield { type: 'response.output_item.added', output_index: index, item: { ...item, status: 'in_progress', arguments: '' } };
    for (const piece of split(args, size)) yield { type: 'response.function_call_arguments.delta', ...base, delta: piece };
    yield { type: 'response.function_call_arguments.done', ...base, arguments: args };
  }
  yield { type: 'response.output_item.done', output_index: index, item };
}

function* endless(text: string, size: number, index: number, item: Json): Generator<Json> {
  const pieces = split(text, size);
  yield { type: 'response.output_item.added', output_index: index, item: { ...item, status: 'in_progress', content: [] } };
  for (let i = 0; ; i++) yield { type: 'response.output_text.delta', output_index: index, item_id: item.id, content_index: 0, delta: pieces[i % pieces.length] };
}

function responseObject(ctx: TurnContext, status: string, output: Json[]): Json {
  return {
    id: ctx.responseId,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    model: ctx.model,
    output,
    error: null,
    incomplete_details: null,
    store: false,
    usage: null,
  };
}

function usageOf(turn: ScriptedTurn, ctx: TurnContext, items: Json[]): Json {
  const input = turn.usage?.input_tokens ?? Math.ceil(ctx.inputBytes / 4);
  const output = turn.usage?.output_tokens ?? Math.max(1, Math.ceil(JSON.stringify(items).length / 16));
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: turn.usage?.cached_tokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: Math.ceil((turn.thinking?.length ?? 0) / 4) },
    total_tokens: input + output,
  };
}

/** Splits by code point so no piece ends inside a surrogate pair. */
function split(text: string, size: number): string[] {
  const chars = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''));
  return pieces;
}

export interface EventSink {
  /** Sends one event; false once the peer is gone. */
  send(event: Json): boolean;
  /** Cuts the connection without a goodbye, once what was sent has reached the socket. */
  drop(): Promise<void>;
  /** Aborts when the peer goes away, so pauses end early. */
  closed: AbortSignal;
}

export type PlaybackOutcome = 'completed' | 'incomplete' | 'failed' | 'dropped';

/** Sends the turn's events with its pauses and drop point. */
export async function playTurn(turn: ScriptedTurn, ctx: TurnContext, sink: EventSink): Promise<PlaybackOutcome> {
  const pause = turn.chunkDelayMs ?? (turn.hang ? 20 : 0);
  let sent = 0;
  let last: string | undefined;
  for (const event of turnEvents(turn, ctx)) {
    if (turn.dropAfterEvents !== undefined && sent >= turn.dropAfterEvents) {
      await sink.drop();
      return 'dropped';
    }
    if (pause > 0 && !(await wait(pause, sink.closed))) return 'dropped';
    if (!sink.send(event)) return 'dropped';
    sent++;
    last = String(event.type);
  }
  if (last === 'response.completed') return 'completed';
  return last === 'response.incomplete' ? 'incomplete' : 'failed';
}

/** Waits; false when the peer went away meanwhile. */
export async function wait(ms: number, closed: AbortSignal): Promise<boolean> {
  if (closed.aborted) return false;
  try {
    await delay(ms, undefined, { signal: closed });
    return true;
  } catch {
    return false;
  }
}
