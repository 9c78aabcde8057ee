// A real HTTP server that speaks the Anthropic Messages streaming wire format, replaying
// scripted answers. It signs the thinking it sends and rejects altered thinking, simulates
// the prompt cache, and injects faults, so tests of the provider can fail for real reasons.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeHttpServer, listenOn, preciseNow, readBody, sendJson as sendJsonBody, waitForDisconnect } from './scripted-http';
import { PromptCacheSim, ThinkingSigner, requestProblem, type CacheUsage } from './scripted-anthropic-checks';

export interface ScriptedToolUse {
  id?: string;
  name: string;
  /** An object is sent as its JSON text; a string is sent verbatim (even if invalid JSON). */
  input: Record<string, unknown> | string;
}

export interface AnthropicScriptedResponse {
  text?: string;
  /** Streamed as a signed thinking block before the text. */
  thinking?: string;
  /** Adds a redacted_thinking block first. */
  redactedThinking?: boolean;
  toolCalls?: ScriptedToolUse[];
  /** Default: 'tool_use' when toolCalls are given, else 'end_turn'. */
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'refusal' | 'pause_turn';
  /** Overrides the computed usage (input side from the cache simulation, output from the sizes). */
  usage?: Partial<CacheUsage & { output_tokens: number }>;
  /** Characters per streamed piece of text, thinking and tool input. Default 8. */
  chunkChars?: number;
  /** Pause before each event. Default 0 (20 ms between pieces when hanging). */
  chunkDelayMs?: number;
  /** Answer with this HTTP error instead of a stream. */
  httpError?: { status: number; body?: unknown; headers?: Record<string, string> };
  /** Send an `error` event after this many events (default 1: right after message_start), then end the body. */
  streamError?: { type: string; message?: string; afterEvents?: number };
  /** Destroy the connection after this many events. */
  dropAfterEvents?: number;
  /** Stream the text over and over, slowly, until the client disconnects. */
  hang?: boolean;
}

export interface AnthropicRecordedRequest {
  // Tests reach into the request body freely; its shape is the client's business.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  bytes: number;
  headers: Record<string, string | string[] | undefined>;
  receivedAt: number;
  /** Input-side usage the server reported, from its prompt-cache simulation. */
  usage?: CacheUsage;
  /** The 400 message when the server rejected the request as the real API would. */
  rejected?: string;
  responseBytes: number;
  completedAt?: number;
  /** Set when the client went away before the response was complete. */
  disconnectedAt?: number;
}

export type AnthropicScript = AnthropicScriptedResponse[] | ((request: AnthropicRecordedRequest, index: number) => AnthropicScriptedResponse);

export interface ScriptedAnthropicServerOptions {
  script: AnthropicScript;
  host?: string;
  port?: number;
  /** When set, requests must carry it in x-api-key or get a 401. */
  apiKey?: string;
  /** Shortest prefix the cache stores, in estimated tokens. The real API's minimum is 1024 or more. Default 0. */
  minCacheableTokens?: number;
}

export interface ScriptedAnthropicServer {
  /** Server root, as ANTHROPIC_BASE_URL would be: the client appends /v1/messages. */
  url: string;
  /** Every POST /v1/messages received, in order, including rejected ones. */
  requests: AnthropicRecordedRequest[];
  /** Resolves with the first request whose client disconnects mid-response (now or later). */
  waitForDisconnect(timeoutMs?: number): Promise<AnthropicRecordedRequest>;
  close(): Promise<void>;
}

/** Error bodies in the API's shape. */
export function anthropicErrorBody(type: string, message: string): Record<string, unknown> {
  return { type: 'error', error: { type, message }, request_id: 'req_scripted' };
}

export const overloaded = (): AnthropicScriptedResponse => ({ httpError: { status: 529, body: anthropicErrorBody('overloaded_error', 'Overloaded') } });
export const rateLimited = (retryAfterSeconds: number): AnthropicScriptedResponse => ({
  httpError: { status: 429, body: anthropicErrorBody('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'), headers: { 'retry-after': String(retryAfterSeconds) } },
});

interface ServerState {
  options: ScriptedAnthropicServerOptions;
  requests: AnthropicRecordedRequest[];
  served: number;
  signer: ThinkingSigner;
  cache: PromptCacheSim;
  disconnectWaiters: ((request: AnthropicRecordedRequest) => void)[];
  open: Set<ServerResponse>;
}

export async function startScriptedAnthropicServer(options: ScriptedAnthropicServerOptions): Promise<ScriptedAnthropicServer> {
  const state: ServerState = {
    options,
    requests: [],
    served: 0,
    signer: new ThinkingSigner(),
    cache: new PromptCacheSim(options.minCacheableTokens),
    disconnectWaiters: [],
    open: new Set(),
  };
  const server = createServer((req, res) => {
    state.open.add(res);
    res.on('close', () => state.open.delete(res));
    handle(state, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, anthropicErrorBody('api_error', `scripted server failed: ${(error as Error).message}`));
      else res.destroy();
    });
  });
  const url = await listenOn(server, options.host ?? '127.0.0.1', options.port ?? 0);
  return {
    url,
    requests: state.requests,
    waitForDisconnect: (timeoutMs = 5000) => waitForDisconnect(state.requests, state.disconnectWaiters, timeoutMs),
    close: () => closeHttpServer(server, state.open),
  };
}

async function handle(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const receivedAt = preciseNow();
  const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
  const raw = await readBody(req);
  if (req.method !== 'POST' || path !== '/v1/messages') {
    return sendJson(res, 404, anthropicErrorBody('not_found_error', `Not found: ${req.method} ${path}`));
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  } catch {
    return sendJson(res, 400, anthropicErrorBody('invalid_request_error', 'The request body is not valid JSON.'));
  }
  const record: AnthropicRecordedRequest = { body, bytes: raw.length, headers: { ...req.headers }, receivedAt, responseBytes: 0 };
  state.requests.push(record);
  res.on('finish', () => (record.completedAt = preciseNow()));
  const refusal = admission(state, req, body);
  if (refusal) {
    if (refusal.status === 400) record.rejected = refusal.message;
    return sendJson(res, refusal.status, anthropicErrorBody(refusal.type, refusal.message));
  }
  const scripted = nextResponse(state, record);
  if (typeof scripted === 'string') return sendJson(res, 500, anthropicErrorBody('api_error', scripted));
  if (scripted.httpError) return sendJson(res, scripted.httpError.status, scripted.httpError.body ?? anthropicErrorBody('api_error', `scripted HTTP ${scripted.httpError.status}`), scripted.httpError.headers);
  record.usage = state.cache.usage(body);
  watchDisconnect(state, record, res);
  await streamResponse(state, res, record, scripted);
}

/** The checks the API makes before it generates anything: key, version header, request shape. */
function admission(state: ServerState, req: IncomingMessage, body: Record<string, unknown>) {
  const { apiKey } = state.options;
  if (apiKey !== undefined && req.headers['x-api-key'] !== apiKey) return { status: 401, type: 'authentication_error', message: 'invalid x-api-key' };
  if (!req.headers['anthropic-version']) return { status: 400, type: 'invalid_request_error', message: 'anthropic-version: header is required' };
  if (body.stream !== true) return { status: 400, type: 'invalid_request_error', message: 'This scripted server only serves streaming requests; set "stream": true.' };
  const problem = requestProblem(body, state.signer);
  return problem ? { status: 400, type: 'invalid_request_error', message: problem } : undefined;
}

function nextResponse(state: ServerState, record: AnthropicRecordedRequest): AnthropicScriptedResponse | string {
  const index = state.served++;
  const { script } = state.options;
  if (typeof script === 'function') {
    try {
      return script(record, index);
    } catch (error) {
      return `scripted server: the script failed on request #${index}: ${(error as Error).message}`;
    }
  }
  return script[index] ?? `scripted server: script exhausted (it has ${script.length} responses; this was request #${index}).`;
}

function watchDisconnect(state: ServerState, record: AnthropicRecordedRequest, res: ServerResponse): void {
  res.on('close', () => {
    if (res.writableFinished) return;
    record.disconnectedAt = Date.now();
    for (const notify of state.disconnectWaiters.splice(0)) notify(record);
  });
}

type WireEvent = [name: string, data: Record<string, unknown>];

let messageCounter = 0;

async function streamResponse(state: ServerState, res: ServerResponse, record: AnthropicRecordedRequest, scripted: AnthropicScriptedResponse): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': 'req_scripted' });
  res.flushHeaders();
  const send = ([name, data]: WireEvent) => {
    const text = `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
    record.responseBytes += Buffer.byteLength(text);
    res.write(text);
  };
  const serial = ++messageCounter;
  const start = messageStart(serial, record, scripted);
  if (scripted.hang) return hang(res, send, start, scripted);
  const events = [start, ['ping', { type: 'ping' }] as WireEvent, ...contentEvents(state.signer, serial, scripted), ...endEvents(scripted)];
  const delay = scripted.chunkDelayMs ?? 0;
  for (let sent = 0; sent < events.length; sent++) {
    if (scripted.streamError && sent === (scripted.streamError.afterEvents ?? 1)) {
      send(['error', anthropicErrorBody(scripted.streamError.type, scripted.streamError.message ?? scripted.streamError.type)]);
      return void res.end();
    }
    // Ending the socket flushes what was written, then closes it with the HTTP body unfinished.
    if (sent === scripted.dropAfterEvents) return void res.socket?.end();
    if (delay > 0) await pause(delay, res);
    if (res.destroyed) return;
    send(events[sent]!);
  }
  res.end();
}

function messageStart(serial: number, record: AnthropicRecordedRequest, scripted: AnthropicScriptedResponse): WireEvent {
  const model = typeof record.body?.model === 'string' ? record.body.model : 'scripted-model';
  const input = { ...record.usage, ...pick(scripted.usage, ['input_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens']) };
  const message = {
    id: `msg_scripted${serial.toString().padStart(6, '0')}`,
    type: 'message',
    role: 'assistant',
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { ...input, output_tokens: 1 },
  };
  return ['message_start', { type: 'message_start', message }];
}

function pick<T extends object>(from: T | undefined, keys: (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const key of keys) if (from?.[key] !== undefined) out[key] = from[key];
  return out;
}

function contentEvents(signer: ThinkingSigner, serial: number, scripted: AnthropicScriptedResponse): WireEvent[] {
  const size = Math.max(1, scripted.chunkChars ?? 8);
  const events: WireEvent[] = [];
  let index = 0;
  const block = (start: Record<string, unknown>, deltas: Record<string, unknown>[]) => {
    events.push(['content_block_start', { type: 'content_block_start', index, content_block: start }]);
    for (const delta of deltas) events.push(['content_block_delta', { type: 'content_block_delta', index, delta }]);
    events.push(['content_block_stop', { type: 'content_block_stop', index }]);
    index++;
  };
  if (scripted.redactedThinking) block({ type: 'redacted_thinking', data: signer.redactedData() }, []);
  if (scripted.thinking) {
    const pieces = split(scripted.thinking, size).map((thinking) => ({ type: 'thinking_delta', thinking }));
    block({ type: 'thinking', thinking: '', signature: '' }, [...pieces, { type: 'signature_delta', signature: signer.sign(scripted.thinking) }]);
  }
  if (scripted.text) block({ type: 'text', text: '' }, split(scripted.text, size).map((text) => ({ type: 'text_delta', text })));
  (scripted.toolCalls ?? []).forEach((call, i) => {
    const json = typeof call.input === 'string' ? call.input : JSON.stringify(call.input);
    const id = call.id ?? `toolu_scripted_${serial}_${i}`;
    // The API opens every tool input with an empty piece.
    const pieces = ['', ...split(json, size)].map((partial_json) => ({ type: 'input_json_delta', partial_json }));
    block({ type: 'tool_use', id, name: call.name, input: {} }, pieces);
  });
  return events;
}

function endEvents(scripted: AnthropicScriptedResponse): WireEvent[] {
  const calls = scripted.toolCalls ?? [];
  const stop_reason = scripted.stopReason ?? (calls.length > 0 ? 'tool_use' : 'end_turn');
  const written = (scripted.text?.length ?? 0) + (scripted.thinking?.length ?? 0) + calls.reduce((n, c) => n + JSON.stringify(c.input).length, 0);
  const output_tokens = scripted.usage?.output_tokens ?? Math.max(1, Math.ceil(written / 4));
  return [
    ['message_delta', { type: 'message_delta', delta: { stop_reason, stop_sequence: null }, usage: { output_tokens } }],
    ['message_stop', { type: 'message_stop' }],
  ];
}

async function hang(res: ServerResponse, send: (event: WireEvent) => void, start: WireEvent, scripted: AnthropicScriptedResponse): Promise<void> {
  const pieces = split(scripted.text || 'still thinking… ', scripted.chunkChars ?? 8);
  send(start);
  send(['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }]);
  for (let i = 0; !res.destroyed; i++) {
    await pause(scripted.chunkDelayMs || 20, res);
    if (res.destroyed) return;
    send(i % 5 === 4 ? ['ping', { type: 'ping' }] : ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: pieces[i % pieces.length] } }]);
  }
}

/** Splits by code point so no piece ends inside a surrogate pair. */
function split(text: string, size: number): string[] {
  const chars = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''));
  return pieces;
}

/** Waits, but wakes early when the client goes away so no timer outlives the connection. */
function pause(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.on('close', done);
  });
}

/** Anthropic answers carry a request id. */
function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJsonBody(res, status, body, { 'request-id': 'req_scripted', ...headers });
}
