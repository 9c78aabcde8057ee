// The HTTP side of the Anthropic provider: one POST with a deadline for its headers, and the
// retry loop around it for 429, 529 and 5xx answers, honouring retry-after.
import { httpError, networkError, shouldRetry } from './anthropic-errors';
import { retryDelayMs, type ErrorContext } from './openai-chat-errors';
import { SseAbortedError, SseIdleTimeoutError } from './sse';
import { ProviderError } from './types';

export const ANTHROPIC_VERSION = '2023-06-01';

export interface HttpSettings {
  endpoint: string;
  apiKey?: string;
  fetchImpl: typeof fetch;
  maxRetries: number;
  idleTimeoutMs: number;
  retryBaseMs: number;
  maxRetryDelayMs: number;
}

/** Retries spent so far on one model call, shared by HTTP errors and early in-stream errors. */
export interface RetryBudget {
  used: number;
}

export type RequestBody = Uint8Array<ArrayBuffer>;

/** POSTs the body, retrying retryable answers with backoff. Resolves with a 2xx response. */
export async function openWithRetries(
  settings: HttpSettings,
  body: RequestBody,
  context: ErrorContext,
  signal: AbortSignal,
  budget: RetryBudget,
): Promise<{ response: Response; sentAt: number }> {
  for (;;) {
    if (signal.aborted) throw new SseAbortedError();
    const sentAt = performance.now();
    const { response, errorText } = await postOnce(settings, body, context, signal);
    if (errorText === undefined) return { response, sentAt };
    if (!shouldRetry(response.status, response.headers, errorText) || budget.used >= settings.maxRetries) {
      throw httpError(response.status, errorText, context, budget.used);
    }
    await backoff(settings, budget, signal, response.headers);
  }
}

/** Waits before the next attempt and counts it: retry-after when the server gave one, else exponential backoff. */
export async function backoff(settings: HttpSettings, budget: RetryBudget, signal: AbortSignal, headers = new Headers()): Promise<void> {
  const delay = retryDelayMs(headers, budget.used, settings.retryBaseMs, settings.maxRetryDelayMs);
  budget.used++;
  await sleep(delay, signal);
}

/** One POST. Headers (and an error body) must arrive within the idle timeout. */
async function postOnce(settings: HttpSettings, body: RequestBody, context: ErrorContext, signal: AbortSignal) {
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

function requestHeaders(apiKey: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'text/event-stream',
    'anthropic-version': ANTHROPIC_VERSION,
  };
  // A gateway in front of the API may hold the key itself.
  if (apiKey) headers['x-api-key'] = apiKey;
  return headers;
}

/** A server that ignored `stream: true` answers with one JSON document; say so instead of "stream ended early". */
export async function streamingBody(response: Response, baseUrl: string): Promise<ReadableStream<Uint8Array>> {
  const type = response.headers.get('content-type') ?? '';
  if (response.body && !type.includes('application/json')) return response.body;
  const text = response.body ? await response.text() : '';
  if (/^\s*(data|event|id|:)/.test(text)) return new Response(text).body as ReadableStream<Uint8Array>;
  const shown = text.slice(0, 200);
  throw new ProviderError('protocol', `The Anthropic API at ${baseUrl} did not stream its answer (content-type "${type}")${shown ? `: ${shown}` : '.'}`);
}

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
