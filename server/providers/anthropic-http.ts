// The HTTP side of the Anthropic provider: its request headers, and the shared POST with
// retries for 429, 529 and 5xx answers (as the API's x-should-retry header allows).
import { httpError, shouldRetry } from './anthropic-errors';
import { postWithRetries, type RequestBody, type RetryBudget } from './http-post';
import type { ErrorContext } from './openai-chat-errors';

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

/** POSTs the body, retrying retryable answers with backoff. Resolves with a 2xx response. */
export function openWithRetries(
  settings: HttpSettings,
  body: RequestBody,
  context: ErrorContext,
  signal: AbortSignal,
  budget: RetryBudget,
): Promise<{ response: Response; sentAt: number }> {
  const { apiKey, ...rest } = settings;
  return postWithRetries({ ...rest, headers: requestHeaders(apiKey), body, shouldRetry, httpError, budget }, context, signal);
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
