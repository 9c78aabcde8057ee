// The contract every model provider implements: a request in neutral history items,
// a stream of normalized events out. Providers are thin wire clients, nothing more.
import type { HistoryItem } from '../loop/items';

export interface ToolSchema {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export interface ModelRequest {
  /**
   * Identifies the conversation (the session) so a stateful provider can chain this request
   * onto the previous one and send only the new items. Stateless providers ignore it.
   */
  conversationId?: string;
  model: string;
  instructions: string;
  tools: ToolSchema[];
  items: HistoryItem[];
  maxOutputTokens?: number;
}

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal';

export interface CallMetrics {
  /** Bytes of the JSON request body actually sent (a delta when the call was chained). */
  bytesSent: number;
  /** Bytes on the wire for the request when compression applies (permessage-deflate). */
  wireBytesSent?: number;
  /** Bytes a stateless provider would have sent for this call: the whole request. */
  fullRequestBytes?: number;
  /** True when the request was chained on the previous response (only new items sent). */
  chained?: boolean;
  bytesReceived: number;
  /** Milliseconds from sending the request to the first response byte. */
  ttfbMs: number;
  totalMs: number;
}

export interface TokenUsage {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

export type ModelEvent =
  | { type: 'text_delta'; text: string }
  | { type: 'thinking_delta'; text: string }
  | { type: 'tool_call'; call: { id: string; name: string; argumentsJson: string } }
  | { type: 'usage'; usage: TokenUsage }
  /** Opaque data to store on the assistant item (reasoning signatures and the like). */
  | { type: 'provider_data'; data: unknown }
  | { type: 'done'; stopReason: StopReason; metrics: CallMetrics };

export type ProviderErrorCode =
  | 'not_configured'
  | 'auth'
  | 'not_found'
  | 'bad_request'
  | 'rate_limited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'protocol'
  | 'cancelled';

/** A typed provider failure with a message fit to show a user. */
export class ProviderError extends Error {
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  /** Whether retrying the same request later may succeed. */
  get retryable(): boolean {
    return this.code === 'rate_limited' || this.code === 'server' || this.code === 'network' || this.code === 'timeout';
  }
}

export interface ModelProvider {
  readonly id: string;
  /** Models offered in the session's model picker; the first is the default. */
  readonly models: string[];
  /** Streams one model call. Must stop promptly and throw ProviderError('cancelled') when `signal` aborts. */
  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent>;
  /** Drops what a stateful provider holds for a conversation (its socket, its chain). */
  release?(conversationId: string): void;
}
