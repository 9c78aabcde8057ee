// A real HTTP server that speaks the OpenAI Chat Completions streaming wire format,
// replaying scripted answers. The demo runs against it when no API key is set, and the
// tests use it to exercise the provider over real loopback HTTP.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeHttpServer, listenOn, preciseNow, readBody, sendJson, waitForDisconnect } from './scripted-http';

export interface ScriptedToolCall {
  id?: string;
  name: string;
  /** An object is sent as its JSON text; a string is sent verbatim (even if invalid JSON). */
  arguments: Record<string, unknown> | string;
}

export interface ScriptedResponse {
  text?: string;
  thinking?: string;
  toolCalls?: ScriptedToolCall[];
  /** Default: 'tool_calls' when toolCalls are given, else 'stop'. */
  finishReason?: 'stop' | 'tool_calls' | 'length' | 'content_filter';
  /** Default: plausible counts estimated from the byte sizes. */
  usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number };
  /** Characters per streamed piece of text, reasoning and tool arguments. Default 8. */
  chunkChars?: number;
  /** Pause before each chunk. Default 0 (20 ms between pieces when hanging). */
  chunkDelayMs?: number;
  /** Answer with this HTTP error instead of a stream. */
  httpError?: { status: number; body?: unknown; headers?: Record<string, string> };
  /** Stream the text over and over, slowly, until the client disconnects. */
  hang?: boolean;
}

export interface RecordedRequest {
  // Tests reach into the request body freely; its shape is the client's business.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  bytes: number;
  headers: Record<string, string | string[] | undefined>;
  receivedAt: number;
  /** Bytes of the streamed response body written so far. */
  responseBytes: number;
  /** When the response was fully handed to the socket (stream end or error answer). */
  completedAt?: number;
  /** Set when the client went away before the response was complete. */
  disconnectedAt?: number;
}

export type ChatScript = ScriptedResponse[] | ((request: RecordedRequest, index: number) => ScriptedResponse);

export interface ScriptedChatServerOptions {
  script: ChatScript;
  host?: string;
  port?: number;
  /** Ids listed by GET /v1/models. Default ['scripted-model']. */
  models?: string[];
}

export interface ScriptedChatServer {
  /** Base URL ending in /v1. */
  url: string;
  /** Every chat completion request received, in order. */
  requests: RecordedRequest[];
  /** Resolves with the first request whose client disconnects mid-response (now or later). */
  waitForDisconnect(timeoutMs?: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

interface ServerState {
  options: ScriptedChatServerOptions;
  requests: RecordedRequest[];
  served: number;
  disconnectWaiters: ((request: RecordedRequest) => void)[];
  /** Responses whose connection has not closed yet; close() waits for them. */
  open: Set<ServerResponse>;
}

export async function startScriptedChatServer(options: ScriptedChatServerOptions): Promise<ScriptedChatServer> {
  const state: ServerState = { options, requests: [], served: 0, disconnectWaiters: [], open: new Set() };
  const server = createServer((req, res) => {
    state.open.add(res);
    res.on('close', () => state.open.delete(res));
    handle(state, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, `scripted chat server failed: ${(error as Error).message}`, 'server_error');
      else res.destroy();
    });
  });
  const origin = await listenOn(server, options.host ?? '127.0.0.1', options.port ?? 0);
  return {
    url: `${origin}/v1`,
    requests: state.requests,
    waitForDisconnect: (timeoutMs = 5000) => waitForDisconnect(state.requests, state.disconnectWaiters, timeoutMs),
    close: () => closeHttpServer(server, state.open),
  };
}

async function handle(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const arrivedAt = preciseNow();
  const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
  if (req.method === 'GET' && path === '/v1/models') return sendModels(state, res);
  if (req.method !== 'POST' || path !== '/v1/chat/completions') {
    req.resume();
    return sendError(res, 404, `Unknown request URL: ${req.method} ${path}. Try POST /v1/chat/completions.`, 'invalid_request_error', 'unknown_url');
  }
  const raw = await readBody(req);
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return sendError(res, 400, 'The request body is not valid JSON.', 'invalid_request_error');
  }
  const record: RecordedRequest = { body, bytes: raw.length, headers: { ...req.headers }, receivedAt: arrivedAt, responseBytes: 0 };
  state.requests.push(record);
  res.on('finish', () => (record.completedAt = preciseNow()));
  if ((body as { stream?: unknown }).stream !== true) {
    return sendError(res, 400, 'This scripted server only serves streaming requests; set "stream": true.', 'invalid_request_error');
  }
  const scripted = nextResponse(state, record);
  if (typeof scripted === 'string') return sendError(res, 500, scripted, 'server_error');
  if (scripted.httpError) return sendHttpError(res, scripted.httpError);
  watchDisconnect(state, record, res);
  await streamResponse(res, record, scripted);
}

function nextResponse(state: ServerState, record: RecordedRequest): ScriptedResponse | string {
  const index = state.served++;
  const { script } = state.options;
  if (typeof script === 'function') {
    try {
      return script(record, index);
    } catch (error) {
      return `scripted chat server: the script failed on request #${index}: ${(error as Error).message}`;
    }
  }
  return script[index] ?? `scripted chat server: script exhausted (it has ${script.length} responses; this was request #${index}).`;
}

function watchDisconnect(state: ServerState, record: RecordedRequest, res: ServerResponse): void {
  res.on('close', () => {
    if (res.writableFinished) return;
    record.disconnectedAt = Date.now();
    for (const notify of state.disconnectWaiters.splice(0)) notify(record);
  });
}

async function streamResponse(res: ServerResponse, record: RecordedRequest, scripted: ScriptedResponse): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
  const factory = chunkFactory(record);
  const delay = scripted.chunkDelayMs ?? 0;
  const send = (text: string) => {
    record.responseBytes += Buffer.byteLength(text);
    res.write(text);
  };
  if (scripted.hang) return hang(res, send, factory, scripted, delay || 20);
  for (const payload of buildChunks(factory, record, scripted)) {
    if (delay > 0) await pause(delay, res);
    if (res.destroyed) return;
    send(`data: ${JSON.stringify(payload)}\n\n`);
  }
  if (delay > 0) await pause(delay, res);
  if (res.destroyed) return;
  send('data: [DONE]\n\n');
  res.end();
}

async function hang(res: ServerResponse, send: (text: string) => void, factory: ChunkFactory, scripted: ScriptedResponse, delay: number) {
  const pieces = split(scripted.text || 'still thinking… ', scripted.chunkChars ?? 8);
  send(`data: ${JSON.stringify(factory.choice({ role: 'assistant', content: '' }))}\n\n`);
  for (let i = 0; !res.destroyed; i++) {
    await pause(delay, res);
    if (res.destroyed) return;
    send(`data: ${JSON.stringify(factory.choice({ content: pieces[i % pieces.length] }))}\n\n`);
  }
}

interface ChunkFactory {
  choice(delta: Record<string, unknown>, finishReason?: string): Record<string, unknown>;
  usage(usage: Record<string, unknown>): Record<string, unknown>;
  includeUsage: boolean;
  /** Distinguishes completions, so default tool call ids never repeat within a server's life. */
  serial: number;
}

let completionCounter = 0;

function chunkFactory(record: RecordedRequest): ChunkFactory {
  const includeUsage = record.body?.stream_options?.include_usage === true;
  const serial = ++completionCounter;
  const base = {
    id: `chatcmpl-scripted${serial.toString().padStart(6, '0')}`,
    object: 'chat.completion.chunk',
    created: Math.floor(record.receivedAt / 1000),
    model: typeof record.body?.model === 'string' ? record.body.model : 'scripted-model',
    system_fingerprint: 'fp_scripted',
  };
  return {
    includeUsage,
    serial,
    // With include_usage, OpenAI sends `usage: null` on every chunk before the usage chunk.
    choice: (delta, finishReason) => ({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason ?? null }],
      ...(includeUsage ? { usage: null } : {}),
    }),
    usage: (usage) => ({ ...base, choices: [], usage }),
  };
}

function buildChunks(factory: ChunkFactory, record: RecordedRequest, scripted: ScriptedResponse): Record<string, unknown>[] {
  const size = Math.max(1, scripted.chunkChars ?? 8);
  const calls = scripted.toolCalls ?? [];
  const chunks = [factory.choice({ role: 'assistant', content: calls.length > 0 && !scripted.text ? null : '' })];
  for (const piece of split(scripted.thinking ?? '', size)) chunks.push(factory.choice({ reasoning_content: piece }));
  for (const piece of split(scripted.text ?? '', size)) chunks.push(factory.choice({ content: piece }));
  let argumentChars = 0;
  calls.forEach((call, index) => {
    const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
    argumentChars += args.length;
    const id = call.id ?? `call_scripted_${factory.serial}_${index}`;
    chunks.push(factory.choice({ tool_calls: [{ index, id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const piece of split(args, size)) chunks.push(factory.choice({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  const finish = scripted.finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop');
  chunks.push(factory.choice({}, finish));
  if (factory.includeUsage) chunks.push(factory.usage(usageOf(record, scripted, argumentChars)));
  return chunks;
}

function usageOf(record: RecordedRequest, scripted: ScriptedResponse, argumentChars: number): Record<string, unknown> {
  const thinking = scripted.thinking?.length ?? 0;
  const prompt = scripted.usage?.prompt_tokens ?? Math.ceil(record.bytes / 4);
  const completion =
    scripted.usage?.completion_tokens ?? Math.max(1, Math.ceil(((scripted.text?.length ?? 0) + thinking + argumentChars) / 4));
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: scripted.usage?.cached_tokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: Math.ceil(thinking / 4) },
  };
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

function sendModels(state: ServerState, res: ServerResponse): void {
  const data = (state.options.models ?? ['scripted-model']).map((id) => ({ id, object: 'model', created: 0, owned_by: 'tether' }));
  sendJson(res, 200, { object: 'list', data });
}

function sendHttpError(res: ServerResponse, error: NonNullable<ScriptedResponse['httpError']>): void {
  const body = error.body ?? errorBody(`scripted HTTP ${error.status} error`, error.status >= 500 ? 'server_error' : 'invalid_request_error');
  sendJson(res, error.status, body, error.headers);
}

function sendError(res: ServerResponse, status: number, message: string, type: string, code: string | null = null): void {
  sendJson(res, status, errorBody(message, type, code));
}

function errorBody(message: string, type: string, code: string | null = null) {
  return { error: { message, type, param: null, code } };
}

