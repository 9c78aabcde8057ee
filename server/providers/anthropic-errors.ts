// Turns failures of the Anthropic Messages API (HTTP answers, in-stream `error` events) into
// ProviderErrors whose messages say what to do next. Broken connections go through the shared
// networkError, which names ANTHROPIC_BASE_URL through ANTHROPIC_ENV in the error context.
// Nothing here may echo the API key; the provider redacts every message once more.
import { serverMessage, type EnvNames, type ErrorContext } from './openai-chat-errors';
import { ProviderError } from './types';

export const ANTHROPIC_ENV: EnvNames = { baseUrl: 'ANTHROPIC_BASE_URL', apiKey: 'ANTHROPIC_API_KEY' };

interface ErrorBody {
  error?: { type?: unknown; details?: { error_code?: unknown } | null };
}

function parseErrorBody(bodyText: string): ErrorBody {
  try {
    const parsed: unknown = JSON.parse(bodyText);
    return parsed && typeof parsed === 'object' ? (parsed as ErrorBody) : {};
  } catch {
    return {};
  }
}

/** A 429 for a spent monthly budget looks like a rate limit but will not clear by waiting. */
function isSpendLimit(bodyText: string): boolean {
  return parseErrorBody(bodyText).error?.details?.error_code === 'enforced_spend_limit_reached';
}

/** Whether an HTTP error answer is worth retrying. The API's own x-should-retry header wins when present. */
export function shouldRetry(status: number, headers: Headers, bodyText: string): boolean {
  const hint = headers.get('x-should-retry');
  if (hint === 'true') return true;
  if (hint === 'false') return false;
  if (status === 429) return !isSpendLimit(bodyText);
  return status === 408 || status === 409 || status >= 500;
}

/** Error for a non-2xx answer. `retries` is how many retries were spent before giving up. */
export function httpError(status: number, bodyText: string, context: ErrorContext, retries = 0): ProviderError {
  const detail = serverMessage(bodyText);
  const said = detail ? `: ${detail}` : '.';
  const api = `The Anthropic API at ${context.baseUrl}`;
  const after = retries > 0 ? ` after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : '';
  if (status === 401 || status === 403) {
    return new ProviderError('auth', `${api} refused the credentials (HTTP ${status})${said} Check ${context.env.apiKey}.`, status);
  }
  if (status === 402) {
    return new ProviderError('auth', `${api} refused the request for billing reasons (HTTP 402)${said} Check the account behind ${context.env.apiKey}.`, status);
  }
  if (status === 404) {
    return new ProviderError(
      'not_found',
      `Not found (HTTP 404) at ${context.baseUrl} for model "${context.model}"${said} ` +
        `Check TETHER_MODEL (a Claude model id such as claude-sonnet-4-6) and ${context.env.baseUrl} (the server root, without /v1).`,
      status,
    );
  }
  if (status === 429) {
    const why = isSpendLimit(bodyText) ? 'The spend limit of the account was reached; waiting will not help.' : 'Wait and try again.';
    return new ProviderError('rate_limited', `${api} is rate limiting requests (HTTP 429)${after}${said} ${why}`, status);
  }
  if (status === 529) return new ProviderError('server', `${api} is overloaded (HTTP 529)${after}${said} Try again in a moment.`, status);
  if (status >= 500) return new ProviderError('server', `${api} failed (HTTP ${status})${after}${said}`, status);
  if (status === 413) return new ProviderError('bad_request', `${api} says the request is too large (HTTP 413)${said}`, status);
  return new ProviderError('bad_request', `${api} rejected the request (HTTP ${status})${said}`, status);
}

/** Error types an `error` event may carry, as the matching HTTP status would be mapped. */
const STREAM_ERRORS: Record<string, { code: ProviderError['code']; what: string }> = {
  overloaded_error: { code: 'server', what: 'is overloaded' },
  api_error: { code: 'server', what: 'failed' },
  timeout_error: { code: 'server', what: 'timed out' },
  rate_limit_error: { code: 'rate_limited', what: 'is rate limiting requests' },
  authentication_error: { code: 'auth', what: 'refused the credentials (check ANTHROPIC_API_KEY)' },
  permission_error: { code: 'auth', what: 'refused the credentials (check ANTHROPIC_API_KEY)' },
  billing_error: { code: 'auth', what: 'refused the request for billing reasons' },
  not_found_error: { code: 'not_found', what: 'did not find the model (check TETHER_MODEL)' },
  invalid_request_error: { code: 'bad_request', what: 'rejected the request' },
  request_too_large: { code: 'bad_request', what: 'says the request is too large' },
};

/** Error for an `error` event inside a stream that had started with HTTP 200. */
export function streamErrorOf(type: unknown, message: unknown): ProviderError {
  const kind = typeof type === 'string' ? type : 'unknown_error';
  const known = STREAM_ERRORS[kind] ?? { code: 'server' as const, what: 'reported an error' };
  const said = typeof message === 'string' && message ? `: ${message}` : '';
  return new ProviderError(known.code, `The Anthropic API ${known.what} mid-stream (${kind})${said}`);
}
