// ModelProvider for OpenAI-compatible Chat Completions (OpenAI, Ollama, llama.cpp server, vLLM).
// Stateless: every call sends the whole history. Retries happen only before the response
// body starts, so a caller never sees an event twice.
import { buildChatRequestBody } from './openai-chat-request';
import { ChatStreamDecoder } from './openai-chat-stream';
import { bearerHeaders, postWithRetries, streamingBody } from './http-post';
import { displayUrl, endpointUrl, networkError, OPENAI_ENV, redact, secretsOf, type ErrorContext } from './openai-chat-errors';
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
    throw toProviderError(error, settings, { baseUrl: settings.baseUrl, model: request.model, env: OPENAI_ENV }, signal);
  }
}

async function* streamChatUnsafe(settings: Settings, request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelEvent> {
  const startedAt = performance.now();
  // Encoded once: fetch sends bytes as they are, where a string is re-encoded through a stream.
  const body = Buffer.from(buildChatRequestBody(request), 'utf8') as Uint8Array<ArrayBuffer>;
  const context: ErrorContext = { baseUrl: settings.baseUrl, model: request.model, env: OPENAI_ENV };
  // Retries 429 and 5xx answers with backoff; resolves with a 2xx response.
  const { response, sentAt } = await postWithRetries({ ...settings, headers: bearerHeaders(settings.apiKey), body }, context, signal);
  const responseBody = await streamingBody(response, `The model server at ${settings.baseUrl}`);
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

function formatMs(ms: number): string {
  return ms < 10_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
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
