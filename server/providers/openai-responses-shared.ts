// Settings and helpers both Responses transports share: error normalization (with the
// key redacted), backoff, and the timing of one call.
import type WebSocket from 'ws';
import { networkError, OPENAI_ENV, redact } from './openai-chat-errors';
import { SseAbortedError, SseIdleTimeoutError } from './sse';
import { ProviderError, type CallMetrics } from './types';

export interface ResponsesSettings {
  /** `<base>/responses` over HTTP. */
  httpEndpoint: string;
  /** `<base>/responses` with a ws(s) scheme. */
  socketEndpoint: string;
  /** For messages: no credentials, no query. */
  baseUrl: string;
  apiKey?: string;
  secrets: string[];
  fetchImpl: typeof fetch;
  WebSocketImpl: typeof WebSocket;
  encryptedReasoning: (model: string) => boolean;
  maxRetries: number;
  idleTimeoutMs: number;
  connectTimeoutMs: number;
  retryBaseMs: number;
  maxRetryDelayMs: number;
  /** Where one-time notices go (the WebSocket to HTTP fallback). Default console.error. */
  notice: (message: string) => void;
}

/** Measures one call; `sent` marks the successful attempt's send, for ttfb. */
export class CallClock {
  private readonly startedAt = performance.now();
  private sentAt = this.startedAt;
  private firstAt: number | undefined;
  bytesReceived = 0;

  /** `at` defaults to now; the HTTP transport passes the send time of its successful attempt. */
  sent(at = performance.now()): void {
    this.sentAt = at;
    this.firstAt = undefined;
    this.bytesReceived = 0;
  }

  received(bytes: number): void {
    this.firstAt ??= performance.now();
    this.bytesReceived += bytes;
  }

  metrics(sent: Omit<CallMetrics, 'bytesReceived' | 'ttfbMs' | 'totalMs'>): CallMetrics {
    const now = performance.now();
    return {
      ...sent,
      bytesReceived: this.bytesReceived,
      ttfbMs: Math.round((this.firstAt ?? now) - this.sentAt),
      totalMs: Math.round(now - this.startedAt),
    };
  }
}

export function backoffMs(settings: ResponsesSettings, attempt: number): number {
  const jittered = settings.retryBaseMs * 2 ** attempt * (0.8 + Math.random() * 0.4);
  return Math.min(settings.maxRetryDelayMs, jittered);
}

function formatMs(ms: number): string {
  return ms < 10_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

/** Every failure leaves the provider as a ProviderError whose message holds no secret. */
export function toProviderError(error: unknown, settings: ResponsesSettings, model: string, signal: AbortSignal): ProviderError {
  let mapped: ProviderError;
  if (signal.aborted || error instanceof SseAbortedError) {
    mapped = new ProviderError('cancelled', 'The model request was cancelled.');
  } else if (error instanceof ProviderError) {
    mapped = error;
  } else if (error instanceof SseIdleTimeoutError) {
    mapped = new ProviderError('timeout', `The model server at ${settings.baseUrl} sent nothing for ${formatMs(error.idleTimeoutMs)}; gave up waiting.`);
  } else {
    mapped = networkError(error, { baseUrl: settings.baseUrl, model, env: OPENAI_ENV }, true);
  }
  const message = redact(mapped.message, settings.secrets);
  return message === mapped.message ? mapped : new ProviderError(mapped.code, message, mapped.status);
}
