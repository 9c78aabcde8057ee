// ModelProvider for OpenAI-compatible Chat Completions (OpenAI, Ollama, llama.cpp server, vLLM).
// Stateless: every call sends the whole history. Retries happen only before the response
// body starts, so a caller never sees an event twice.
import { buildChatRequestBody } from './openai-chat-request';
import { ChatStreamDecoder } from './openai-chat-stream';
import {
  displayUrl,
  endpointUrl,
  httpError,
  isRetryableStatus,
  networkError,
  redact,
  retryDelayMs,
  secretsOf,
  type ErrorContext,
} from './openai-chat-errors';
import { readSse, SseAbortedError, SseIdleTimeoutError } from './sse';
import { ProviderError, type ModelEvent, type ModelProvider, type ModelRequest } from './types';

export interface OpenAIChatOptions {
  /** Base URL ending in /v1, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1. */
  baseUrl: string;
  apiKey?: string;
  models: string[];
  fetchImpl?: typeof fetch;
  /** Retries after HTTP 429 or 5xx. Default 3. */
  maxRetries?: number;
  /** Fail when no byte arrives for this long, headers included. Default 5 minutes: reasoning models stay silent a while. */
  idleTimeoutMs?: number;
  /** First backoff step; doubles per retry. Default 500 ms. */
  retryBaseMs?: number;
  /** Upper bound on any single wait, retry-after included. Default 30 s. */
  maxRetryDelayMs?: number;
}

/** How long to wait for the end of the body once [DONE] has arrived. */
const DRAIN_TIMEOUT_MS = 1000;

interface Settings {
  endpoint: string;
  /** For messages: no credentials, no query. */
  baseUrl: string;
  apiKey?: string;
  /** Strings no error message may contain. */
  secrets: string[];
  fetchImpl: typeof fetch;
  maxRetries: number;
  idleTimeoutMs: number;
  retryBaseMs: number;
  maxRetryDelayMs: number;
}

export function createOpenAIChatProvider(options: OpenAIChatOptions): ModelProvider {
  const settings: Settings = {
    endpoint: endpointUrl(options.baseUrl, '/chat/completions'),
    baseUrl: displayUrl(options.baseUrl),
    apiKey: options.apiKey || undefined,
    secrets: secretsOf(options.apiKey, options.baseUrl),
    fetchImpl: options.fetchImpl ?? fetch,
    maxRetries: options.maxRetries ?? 3,
    idleTimeoutMs: options.idleTimeoutMs ?? 300_000,
    retryBaseMs: options.retryBaseMs ?? 500,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
  };
  return {
    id: 'openai-chat',
    models: [...options.models],
    stream: (request, signal) => streamChat(settings, request, signal),
  };
}

async function* streamChat(settings: Settings, request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelEvent> {
  try {
    yield* streamChatUnsafe(settings, request, signal);
  } catch (error) {
    throw toProviderError(error, settings, { baseUrl: settings.baseUrl, model: request.model }, signal);
  }
}

async function* streamChatUnsafe(settings: Settings, request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelEvent> {
  const startedAt = performance.now();
  // Encoded once: fetch sends bytes as they are, where a string is re-encoded through a stream.
  const body = Buffer.from(buildChatRequestBody(request), 'utf8') as Uint8Array<ArrayBuffer>;
  const context: ErrorContext = { baseUrl: settings.baseUrl, model: request.model };
  const { response, sentAt } = await openWithRetries(settings, body, context, signal);
  const responseBody = await streamingBody(response, settings.baseUrl);
  const decoder = new ChatStreamDecoder();
  let bytesReceived = 0;
  // ttfb runs from the successful attempt's send to its first body byte: the model's latency, not the retries'.
  let firstByteAt: number | undefined;
  const onBytes = (count: number) => {
    firstByteAt ??= performance.now();
    bytesReceived += count;
  };
  const reading = { signal, idleTimeoutMs: settings.idleTimeoutMs, onBytes };
  try {
    for await (const sse of readSse(responseBody, reading)) {
      // After [DONE], read on to the end: a cancelled body costs the pooled keep-alive connection.
      if (decoder.sawDone) continue;
      for (const event of decoder.accept(sse.data)) {
        // One network chunk can hold many events; none may reach the caller after an abort.
        if (signal.aborted) throw new SseAbortedError();
        yield event;
      }
      if (decoder.sawDone) reading.idleTimeoutMs = Math.min(settings.idleTimeoutMs, DRAIN_TIMEOUT_MS);
    }
  } catch (error) {
    // A server that keeps the stream open after [DONE] has still answered in full.
    if (!(decoder.sawDone && error instanceof SseIdleTimeoutError)) throw error;
  }
  if (signal.aborted) throw new SseAbortedError();
  const { events, stopReason } = decoder.finish();
  yield* events;
  const now = performance.now();
  const metrics = {
    bytesSent: body.byteLength,
    bytesReceived,
    ttfbMs: Math.round((firstByteAt ?? now) - sentAt),
    totalMs: Math.round(now - startedAt),
  };
  yield { type: 'done', stopReason, metrics };
}

/** POSTs the body, retrying 429 and 5xx answers with backoff. Resolves with a 2xx response. */
async function openWithRetries(settings: Settings, body: Uint8Array<ArrayBuffer>, context: ErrorContext, signal: AbortSignal) {
  for (let attempt = 0; ; attempt++) {
    if (signal.aborted) throw new SseAbortedError();
    const sentAt = performance.now();
    const { response, errorText } = await postOnce(settings, body, context, signal);
    if (errorText === undefined) return { response, sentAt };
    if (!isRetryableStatus(response.status) || attempt >= settings.maxRetries) {
      throw httpError(response.status, errorText, context, attempt);
    }
    await sleep(retryDelayMs(response.headers, attempt, settings.retryBaseMs, settings.maxRetryDelayMs), signal);
  }
}

/** One POST. Headers (and an error body) must arrive within the idle timeout. */
async function postOnce(settings: Settings, body: Uint8Array<ArrayBuffer>, context: ErrorContext, signal: AbortSignal) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, settings.idleTimeoutMs);
  const onAbort = () => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await settings.fetchImpl(settings.endpoint, {
      method: 'POST',
      headers: requestHeaders(settings.apiKey),
      body,
      signal: controller.signal,
    });
    const errorText = response.ok ? undefined : await response.text();
    return { response, errorText };
  } catch (error) {
    if (signal.aborted) throw new SseAbortedError();
    if (timedOut) throw new SseIdleTimeoutError(settings.idleTimeoutMs);
    throw networkError(error, context, false);
  } finally {
    clearTimeout(timer);
    // The body keeps streaming after this returns; the caller's signal still cancels it through readSse.
    signal.removeEventListener('abort', onAbort);
  }
}

/** A server that ignored `stream: true` answers with one JSON document; say so instead of "stream ended early". */
async function streamingBody(response: Response, baseUrl: string): Promise<ReadableStream<Uint8Array>> {
  const type = response.headers.get('content-type') ?? '';
  if (response.body && !type.includes('application/json')) return response.body;
  const text = response.body ? await response.text() : '';
  // Some proxies label an event stream as JSON; the buffered text still parses as SSE.
  if (/^\s*(data|event|id|:)/.test(text)) return new Response(text).body as ReadableStream<Uint8Array>;
  const shown = text.slice(0, 200);
  throw new ProviderError('protocol', `The model server at ${baseUrl} did not stream its answer (content-type "${type}")${shown ? `: ${shown}` : '.'}`);
}

function formatMs(ms: number): string {
  return ms < 10_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function requestHeaders(apiKey: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  return headers;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new SseAbortedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new SseAbortedError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function toProviderError(error: unknown, settings: Settings, context: ErrorContext, signal: AbortSignal): ProviderError {
  let mapped: ProviderError;
  if (signal.aborted || error instanceof SseAbortedError) {
    mapped = new ProviderError('cancelled', 'The model request was cancelled.');
  } else if (error instanceof ProviderError) {
    mapped = error;
  } else if (error instanceof SseIdleTimeoutError) {
    mapped = new ProviderError(
      'timeout',
      `The model server at ${settings.baseUrl} sent nothing for ${formatMs(error.idleTimeoutMs)}; gave up waiting.`,
    );
  } else {
    mapped = networkError(error, context, true);
  }
  const message = redact(mapped.message, settings.secrets);
  return message === mapped.message ? mapped : new ProviderError(mapped.code, message, mapped.status);
}
