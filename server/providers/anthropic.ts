// ModelProvider for the Anthropic Messages API. Stateless: every call sends the whole history,
// with prompt-cache breakpoints so the repeated prefix is read from the cache, not re-processed.
// Retries happen only before the first event reaches the caller, so no event is seen twice.
import { DEFAULT_MAX_TOKENS, buildAnthropicRequestBody, type AnthropicRequestOptions, type AnthropicThinking } from './anthropic-request';
import { ANTHROPIC_ENV } from './anthropic-errors';
import { openWithRetries, type HttpSettings } from './anthropic-http';
import { AnthropicStreamDecoder } from './anthropic-stream';
import { backoff, streamingBody, type RequestBody } from './http-post';
import { displayUrl, endpointUrl, networkError, redact, secretsOf, type ErrorContext } from './openai-chat-errors';
import { readSse, SseAbortedError, SseIdleTimeoutError } from './sse';
import { ProviderError, type ModelEvent, type ModelProvider, type ModelRequest } from './types';

export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
/** Offered when TETHER_MODEL is unset; the first is the default. */
export const DEFAULT_ANTHROPIC_MODELS: readonly string[] = ['claude-sonnet-4-6', 'claude-opus-4-7', 'claude-haiku-4-5'];

export interface AnthropicOptions {
  /** Server root, e.g. https://api.anthropic.com (the default) or a gateway; /v1/messages is appended. */
  baseUrl?: string;
  apiKey?: string;
  models: string[];
  fetchImpl?: typeof fetch;
  /** Retries after 429, 529 and 5xx answers, or an error event before any output. Default 3. */
  maxRetries?: number;
  /** Fail when no byte arrives for this long, headers included. Default 5 minutes: thinking can be silent a while. */
  idleTimeoutMs?: number;
  /** First backoff step; doubles per retry. Default 500 ms. */
  retryBaseMs?: number;
  /** Upper bound on any single wait, retry-after included. Default 60 s. */
  maxRetryDelayMs?: number;
  /** max_tokens when a request sets none. Default 8192. */
  maxOutputTokens?: number;
  /** Extended thinking; off unless set (newer models may think by default). */
  thinking?: AnthropicThinking;
}

interface Settings {
  http: HttpSettings;
  request: AnthropicRequestOptions;
  /** For messages: no credentials, no query. */
  baseUrl: string;
  /** Strings no error message may contain. */
  secrets: string[];
}

/** How long to wait for the end of the body once message_stop has arrived. */
const DRAIN_TIMEOUT_MS = 1000;

export function createAnthropicProvider(options: AnthropicOptions): ModelProvider {
  const baseUrl = options.baseUrl || DEFAULT_ANTHROPIC_BASE_URL;
  const settings: Settings = {
    http: {
      endpoint: messagesEndpoint(baseUrl),
      apiKey: options.apiKey || undefined,
      fetchImpl: options.fetchImpl ?? fetch,
      maxRetries: options.maxRetries ?? 3,
      idleTimeoutMs: options.idleTimeoutMs ?? 300_000,
      retryBaseMs: options.retryBaseMs ?? 500,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 60_000,
    },
    request: { defaultMaxTokens: options.maxOutputTokens ?? DEFAULT_MAX_TOKENS, thinking: options.thinking },
    baseUrl: displayUrl(baseUrl),
    secrets: secretsOf(options.apiKey, baseUrl),
  };
  return {
    id: 'anthropic',
    models: [...options.models],
    stream: (request, signal) => streamMessages(settings, request, signal),
  };
}

/** `<root>/v1/messages`; a base URL that already ends in /v1 (a common slip) is taken as meant. */
function messagesEndpoint(baseUrl: string): string {
  return endpointUrl(baseUrl, /\/v1\/*(\?.*)?$/.test(baseUrl) ? '/messages' : '/v1/messages');
}

async function* streamMessages(settings: Settings, request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelEvent> {
  try {
    yield* streamWithRetries(settings, request, signal);
  } catch (error) {
    throw toProviderError(error, settings, signal);
  }
}

/** Opens the stream; an overload or a dropped connection before the first event is retried like an HTTP 529. */
async function* streamWithRetries(settings: Settings, request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelEvent> {
  const startedAt = performance.now();
  // Encoded once: fetch sends bytes as they are, where a string is re-encoded through a stream.
  const body = Buffer.from(buildAnthropicRequestBody(request, settings.request), 'utf8') as RequestBody;
  const context: ErrorContext = { baseUrl: settings.baseUrl, model: request.model, env: ANTHROPIC_ENV };
  const budget = { used: 0 };
  for (;;) {
    const { response, sentAt } = await openWithRetries(settings.http, body, context, signal, budget);
    const call: CallClock = { startedAt, sentAt, bytesSent: body.byteLength };
    let yielded = 0;
    try {
      for await (const event of readResponse(settings, response, call, context, signal)) {
        yielded++;
        yield event;
      }
      return;
    } catch (error) {
      if (yielded > 0 || !retryableBeforeOutput(error) || budget.used >= settings.http.maxRetries) throw error;
      await backoff(settings.http, budget, signal);
    }
  }
}

function retryableBeforeOutput(error: unknown): boolean {
  return error instanceof ProviderError && (error.code === 'server' || error.code === 'rate_limited' || error.code === 'network');
}

interface CallClock {
  /** Before the first attempt: totalMs includes retries. */
  startedAt: number;
  /** When the successful attempt was sent: ttfbMs is the model's latency, not the retries'. */
  sentAt: number;
  bytesSent: number;
}

/** Reads one response body to its end, then yields usage and `done`. */
async function* readResponse(settings: Settings, response: Response, call: CallClock, context: ErrorContext, signal: AbortSignal): AsyncGenerator<ModelEvent> {
  const responseBody = await streamingBody(response, `The Anthropic API at ${settings.baseUrl}`);
  const decoder = new AnthropicStreamDecoder();
  let bytesReceived = 0;
  let firstByteAt: number | undefined;
  const onBytes = (count: number) => {
    firstByteAt ??= performance.now();
    bytesReceived += count;
  };
  const reading = { signal, idleTimeoutMs: settings.http.idleTimeoutMs, onBytes };
  try {
    for await (const sse of readSse(responseBody, reading)) {
      // After message_stop, read on to the end: a cancelled body costs the pooled keep-alive connection.
      if (decoder.sawStop) continue;
      for (const event of decoder.accept(sse.event, sse.data)) {
        // One network chunk can hold many events; none may reach the caller after an abort.
        if (signal.aborted) throw new SseAbortedError();
        yield event;
      }
      if (decoder.sawStop) reading.idleTimeoutMs = Math.min(settings.http.idleTimeoutMs, DRAIN_TIMEOUT_MS);
    }
  } catch (error) {
    // A server that keeps the stream open after message_stop has still answered in full.
    if (!(decoder.sawStop && error instanceof SseIdleTimeoutError)) throw midStreamError(error, context, signal);
  }
  if (signal.aborted) throw new SseAbortedError();
  const { events, stopReason } = decoder.finish();
  yield* events;
  const now = performance.now();
  const metrics = {
    bytesSent: call.bytesSent,
    // Stateless: every call sends the whole request.
    fullRequestBytes: call.bytesSent,
    bytesReceived,
    ttfbMs: Math.round((firstByteAt ?? now) - call.sentAt),
    totalMs: Math.round(now - call.startedAt),
  };
  yield { type: 'done', stopReason, metrics };
}

function midStreamError(error: unknown, context: ErrorContext, signal: AbortSignal): unknown {
  if (signal.aborted || error instanceof SseAbortedError || error instanceof SseIdleTimeoutError || error instanceof ProviderError) return error;
  return networkError(error, context, true);
}

function toProviderError(error: unknown, settings: Settings, signal: AbortSignal): ProviderError {
  let mapped: ProviderError;
  if (signal.aborted || error instanceof SseAbortedError) {
    mapped = new ProviderError('cancelled', 'The model request was cancelled.');
  } else if (error instanceof ProviderError) {
    mapped = error;
  } else if (error instanceof SseIdleTimeoutError) {
    const waited = error.idleTimeoutMs < 10_000 ? `${error.idleTimeoutMs} ms` : `${Math.round(error.idleTimeoutMs / 1000)} s`;
    mapped = new ProviderError('timeout', `The Anthropic API at ${settings.baseUrl} sent nothing for ${waited}; gave up waiting.`);
  } else {
    mapped = new ProviderError('protocol', `Unexpected failure talking to ${settings.baseUrl}: ${String(error)}`);
  }
  const message = redact(mapped.message, settings.secrets);
  return message === mapped.message ? mapped : new ProviderError(mapped.code, message, mapped.status);
}
