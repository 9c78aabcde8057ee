// Turns HTTP and network failures of an OpenAI-compatible server into ProviderErrors
// whose messages say what to do next. Nothing here may echo the API key.
import { ProviderError } from './types';

/** The environment variables that configure a provider, named in messages that say what to check. */
export interface EnvNames {
  readonly baseUrl: string;
  readonly apiKey: string;
}

/** OpenAI and every OpenAI-compatible server (Chat Completions and Responses alike). */
export const OPENAI_ENV: EnvNames = { baseUrl: 'OPENAI_BASE_URL', apiKey: 'OPENAI_API_KEY' };

export interface ErrorContext {
  /** Base URL for display, without credentials or query. */
  baseUrl: string;
  model: string;
  env: EnvNames;
}

/** The base URL without userinfo or query string, which may carry secrets. */
export function displayUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    url.username = '';
    url.password = '';
    url.search = '';
    return url.toString().replace(/\/+$/, '');
  } catch {
    return baseUrl;
  }
}

/** Secrets a message must never show: the key, and any password or query in the base URL. */
export function secretsOf(apiKey: string | undefined, baseUrl: string): string[] {
  const secrets = apiKey ? [apiKey] : [];
  try {
    const url = new URL(baseUrl);
    for (const part of [url.password, url.username, url.search.slice(1)]) if (part) secrets.push(part, decodeURIComponent(part));
  } catch {
    // an unparseable base URL fails before any request; it holds nothing to hide beyond the key
  }
  return secrets;
}

/** Removes every occurrence of each secret; servers sometimes echo the Authorization header back. */
export function redact(text: string, secrets: string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

/** `<base>/chat/completions`, keeping any query string of the base URL at the end. */
export function endpointUrl(baseUrl: string, path: string): string {
  try {
    const url = new URL(baseUrl);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
    return url.toString();
  } catch {
    return `${baseUrl.replace(/\/+$/, '')}${path}`;
  }
}

/** Extracts the server's own error message from an error body (OpenAI, Ollama, llama.cpp and vLLM shapes). */
export function serverMessage(bodyText: string): string {
  let message = bodyText.trim();
  try {
    const parsed = JSON.parse(bodyText) as { error?: unknown; message?: unknown; detail?: unknown };
    const error = parsed.error;
    if (typeof error === 'string') message = error;
    else if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
      message = (error as { message: string }).message;
    } else if (typeof parsed.message === 'string') message = parsed.message;
    else if (typeof parsed.detail === 'string') message = parsed.detail;
  } catch {
    // not JSON: keep the raw text
  }
  return message.length > 500 ? `${message.slice(0, 500)}…` : message;
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Error for a non-2xx answer. `retries` is how many retries were spent before giving up. */
export function httpError(status: number, bodyText: string, context: ErrorContext, retries = 0): ProviderError {
  const detail = serverMessage(bodyText);
  const said = detail ? `: ${detail}` : '.';
  const url = context.baseUrl;
  const after = retries > 0 ? ` after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : '';
  if (status === 401 || status === 403) {
    return new ProviderError('auth', `The model server at ${url} refused the credentials (HTTP ${status})${said} Check ${context.env.apiKey}.`, status);
  }
  if (status === 404) {
    return new ProviderError(
      'not_found',
      `Not found (HTTP 404) at ${url} for model "${context.model}"${said} ` +
        `Check ${context.env.baseUrl} (it usually ends in /v1) and TETHER_MODEL (the model must exist on that server).`,
      status,
    );
  }
  if (status === 429) {
    return new ProviderError('rate_limited', `The model server at ${url} is rate limiting requests (HTTP 429)${after}${said} Wait and try again.`, status);
  }
  if (status >= 500) {
    return new ProviderError('server', `The model server at ${url} failed (HTTP ${status})${after}${said}`, status);
  }
  return new ProviderError('bad_request', `The model server at ${url} rejected the request (HTTP ${status})${said}`, status);
}

const CONNECT_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused; is the server running?',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the server',
};

/** Error for a failed connection or a body that broke off. */
export function networkError(error: unknown, context: ErrorContext, midStream: boolean): ProviderError {
  const code = errorCode(error);
  const reason = (code && CONNECT_CODES[code]) || causeMessage(error);
  if (midStream) return new ProviderError('network', `The connection to ${context.baseUrl} broke off mid-response (${reason}).`);
  return new ProviderError('network', `Cannot reach the model server at ${context.baseUrl} (${reason}). Check ${context.env.baseUrl}.`);
}

function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function causeMessage(error: unknown): string {
  const cause = (error as { cause?: unknown })?.cause;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** Wait before a retry: the server's retry-after when given, else exponential backoff with jitter. */
export function retryDelayMs(headers: Headers, attempt: number, baseMs: number, capMs: number): number {
  const hinted = retryAfterMs(headers);
  const backoff = baseMs * 2 ** attempt * (0.8 + Math.random() * 0.4);
  return Math.max(0, Math.min(capMs, hinted ?? backoff));
}

function retryAfterMs(headers: Headers): number | undefined {
  // OpenAI sends retry-after-ms; the standard header holds seconds or an HTTP date.
  const ms = Number(headers.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
