// The HTTP side every streaming provider shares: one POST with a deadline for its headers,
// the retry loop around it honouring retry-after, the check that the answer streams, and an
// abortable sleep. What differs per provider (headers, which answers to retry, how an HTTP
// error reads) comes in as options.
import { httpError as openAIHttpError, isRetryableStatus, networkError, retryDelayMs, type ErrorContext } from './openai-chat-errors';
import { SseAbortedError, SseIdleTimeoutError } from './sse';
import { ProviderError } from './types';

export type RequestBody = Uint8Array<ArrayBuffer>;

/** Retries spent so far on one model call; a provider may share it with retries of its own. */
export interface RetryBudget {
  used: number;
}

export interface RetryTiming {
  retryBaseMs: number;
  maxRetryDelayMs: number;
}

export interface PostOptions extends RetryTiming {
  endpoint: string;
  headers: Record<string, string>;
  body: RequestBody;
  fetchImpl: typeof fetch;
  /** Headers (and an error body) must arrive within this long. */
  idleTimeoutMs: number;
  maxRetries: number;
  /** Whether an error answer is worth retrying. Default: 429 and 5xx. */
  shouldRetry?: (status: number, headers: Headers, errorText: string) => boolean;
  /** The error for an answer that is not retried. Default: the OpenAI-compatible one. */
  httpError?: (status: number, errorText: string, context: ErrorContext, retries: number) => ProviderError;
  /** Counts the retries; pass one to share it with retries made elsewhere. Default: a fresh count. */
  budget?: RetryBudget;
}

/** POSTs the body, retrying retryable answers with backoff. Resolves with a 2xx response and when it was sent. */
export async function postWithRetries(
  options: PostOptions,
  context: ErrorContext,
  signal: AbortSignal,
): Promise<{ response: Response; sentAt: number }> {
  const shouldRetry = options.shouldRetry ?? isRetryableStatus;
  const httpError = options.httpError ?? openAIHttpError;
  const budget = options.budget ?? { used: 0 };
  for (;;) {
    if (signal.aborted) throw new SseAbortedError();
    const sentAt = performance.now();
    const { response, errorText } = await postOnce(options, context, signal);
    if (errorText === undefined) return { response, sentAt };
    if (!shouldRetry(response.status, response.headers, errorText) || budget.used >= options.maxRetries) {
      throw httpError(response.status, errorText, context, budget.used);
    }
    await backoff(options, budget, signal, response.headers);
  }
}

/** Waits before the next attempt and counts it: retry-after when the server gave one, else exponential backoff. */
export async function backoff(timing: RetryTiming, budget: RetryBudget, signal: AbortSignal, headers = new Headers()): Promise<void> {
  const delay = retryDelayMs(headers, budget.used, timing.retryBaseMs, timing.maxRetryDelayMs);
  budget.used++;
  await sleep(delay, signal);
}

/** One POST. Headers (and an error body) must arrive within the idle timeout. */
async function postOnce(options: PostOptions, context: ErrorContext, signal: AbortSignal) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.idleTimeoutMs);
  const onAbort = () => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await options.fetchImpl(options.endpoint, {
      method: 'POST',
      headers: options.headers,
      body: options.body,
      signal: controller.signal,
    });
    const errorText = response.ok ? undefined : await response.text();
    return { response, errorText };
  } catch (error) {
    if (signal.aborted) throw new SseAbortedError();
    if (timedOut) throw new SseIdleTimeoutError(options.idleTimeoutMs);
    throw networkError(error, context, false);
  } finally {
    clearTimeout(timer);
    // The body keeps streaming after this returns; the caller's signal still cancels it through readSse.
    signal.removeEventListener('abort', onAbort);
  }
}

/** Request headers of an OpenAI-compatible streaming POST, with the key as a bearer token when there is one. */
export function bearerHeaders(apiKey: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  return headers;
}

/**
 * A server that ignored `stream: true` answers with one JSON document; say so instead of "stream ended early".
 * `label` names the server in the message, e.g. `The model server at <url>`.
 */
export async function streamingBody(response: Response, label: string): Promise<ReadableStream<Uint8Array>> {
  const type = response.headers.get('content-type') ?? '';
  if (response.body && !type.includes('application/json')) return response.body;
  const text = response.body ? await response.text() : '';
  // Some proxies label an event stream as JSON; the buffered text still parses as SSE.
  if (/^\s*(data|event|id|:)/.test(text)) return new Response(text).body as ReadableStream<Uint8Array>;
  const shown = text.slice(0, 200);
  throw new ProviderError('protocol', `${label} did not stream its answer (content-type "${type}")${shown ? `: ${shown}` : '.'}`);
}

/** Resolves after `ms`, or rejects with SseAbortedError as soon as the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
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
