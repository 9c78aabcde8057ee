// Decodes OpenAI Responses stream events (SSE `data:` payloads or WebSocket text frames,
// which carry the same JSON) into neutral model events. Output items are collected from
// `response.output_item.done`: over the socket `response.completed` may carry no output.
import { replayItem, type ResponsesItem, type ResponsesProviderData } from './openai-responses-request';
import { ProviderError, type ModelEvent, type ProviderErrorCode, type StopReason, type TokenUsage } from './types';

export type DecodedEvent = Exclude<ModelEvent, { type: 'done' }>;

/** A failure reported by the server inside the stream; `apiCode` is the API's own error code. */
export class ResponsesApiError extends ProviderError {
  constructor(code: ProviderErrorCode, message: string, readonly apiCode: string | undefined, status?: number) {
    super(code, message, status);
    this.name = 'ResponsesApiError';
  }
}

interface StreamEvent {
  type?: string;
  delta?: unknown;
  item?: ResponsesItem;
  output_index?: number;
  summary_index?: number;
  response?: {
    id?: string;
    output?: ResponsesItem[];
    usage?: WireUsage | null;
    incomplete_details?: { reason?: string } | null;
    error?: { code?: string; message?: string } | null;
  };
  // `error` events: flat over SSE ({code, message}), nested over the socket ({status, error: {...}}).
  code?: string | null;
  message?: string;
  status?: number;
  error?: { type?: string; code?: string | null; message?: string } | null;
}

interface WireUsage {
  input_tokens?: number;
  output_tokens?: number;
  input_tokens_details?: { cached_tokens?: number } | null;
}

export type TerminalStatus = 'completed' | 'incomplete';

export class ResponsesStreamDecoder {
  responseId: string | undefined;
  /** Set once the response ended without error. */
  status: TerminalStatus | undefined;
  private readonly items = new Map<number, ResponsesItem>();
  private readonly emittedCalls = new Set<string>();
  private usage: TokenUsage | undefined;
  private stopReason: StopReason = 'end_turn';
  private refused = false;
  private lastSummary: string | undefined;

  /** Decodes one event. Throws ResponsesApiError for `error` and `response.failed`. */
  accept(data: string): DecodedEvent[] {
    const event = parseEvent(data);
    switch (event.type) {
      case 'response.created':
      case 'response.in_progress':
        this.responseId ??= event.response?.id;
        return [];
      case 'response.output_text.delta':
        return textEvent('text_delta', event.delta);
      case 'response.refusal.delta':
        this.refused = true;
        return textEvent('text_delta', event.delta);
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        return this.thinking(event);
      case 'response.output_item.done':
        return event.item ? this.addItem(event.item, event.output_index ?? this.items.size) : [];
      case 'response.completed':
      case 'response.incomplete':
        return this.terminal(event);
      case 'response.failed':
        throw failedError(event.response?.error);
      case 'error':
        throw errorEventError(event);
      default:
        return [];
    }
  }

  /** The final events (leftover tool calls, usage, provider data) and the stop reason. */
  finish(): { events: DecodedEvent[]; stopReason: StopReason } {
    if (!this.status) throw new ProviderError('network', 'The model server closed the stream before the response was complete.');
    const events: DecodedEvent[] = [];
    if (this.usage) events.push({ type: 'usage', usage: this.usage });
    const output = this.output();
    if (output.length > 0) events.push({ type: 'provider_data', data: { kind: 'openai-responses', output } satisfies ResponsesProviderData });
    const stopReason = this.refused ? 'refusal' : this.stopReason === 'end_turn' && this.emittedCalls.size > 0 ? 'tool_use' : this.stopReason;
    return { events, stopReason };
  }

  /** Output items in output order. */
  output(): ResponsesItem[] {
    return [...this.items.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
  }

  /** The output as the next stateless request will carry it, one JSON text per item. */
  replayJson(): string[] {
    return this.output().flatMap(replayItem).map((item) => JSON.stringify(item));
  }

  private thinking(event: StreamEvent): DecodedEvent[] {
    if (typeof event.delta !== 'string' || event.delta === '') return [];
    // Separate summary parts (and reasoning items) the way the model separates paragraphs.
    const part = `${event.output_index ?? 0}:${event.summary_index ?? 0}`;
    const separator = this.lastSummary !== undefined && this.lastSummary !== part ? '\n\n' : '';
    this.lastSummary = part;
    return [{ type: 'thinking_delta', text: separator + event.delta }];
  }

  private addItem(item: ResponsesItem, index: number): DecodedEvent[] {
    this.items.set(index, item);
    return this.callEvent(item);
  }

  private callEvent(item: ResponsesItem): DecodedEvent[] {
    if (item.type !== 'function_call') return [];
    const id = typeof item.call_id === 'string' ? item.call_id : '';
    if (!id || typeof item.name !== 'string' || !item.name) {
      throw new ProviderError('protocol', 'The model server sent a function call without a call id or name.');
    }
    if (this.emittedCalls.has(id)) return [];
    this.emittedCalls.add(id);
    const args = typeof item.arguments === 'string' && item.arguments.trim() !== '' ? item.arguments : '{}';
    return [{ type: 'tool_call', call: { id, name: item.name, argumentsJson: args } }];
  }

  private terminal(event: StreamEvent): DecodedEvent[] {
    const response = event.response ?? {};
    this.responseId ??= response.id;
    if (response.usage) this.usage = toUsage(response.usage);
    this.status = event.type === 'response.completed' ? 'completed' : 'incomplete';
    if (this.status === 'incomplete') {
      const reason = response.incomplete_details?.reason;
      this.stopReason = reason === 'content_filter' ? 'refusal' : 'max_tokens';
    }
    // Over HTTP the output list is complete; use it for anything output_item.done did not bring.
    const events: DecodedEvent[] = [];
    if (this.items.size === 0) (response.output ?? []).forEach((item, index) => events.push(...this.addItem(item, index)));
    return events;
  }
}

function parseEvent(data: string): StreamEvent {
  try {
    const parsed: unknown = JSON.parse(data);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as StreamEvent;
  } catch {
    // fall through to the protocol error
  }
  throw new ProviderError('protocol', `The model server sent a malformed stream event: ${data.slice(0, 200)}`);
}

function textEvent(type: 'text_delta', delta: unknown): DecodedEvent[] {
  return typeof delta === 'string' && delta !== '' ? [{ type, text: delta }] : [];
}

function toUsage(usage: WireUsage): TokenUsage {
  return {
    inputTokens: usage.input_tokens ?? 0,
    cachedInputTokens: usage.input_tokens_details?.cached_tokens ?? 0,
    outputTokens: usage.output_tokens ?? 0,
  };
}

const CODE_BY_API_CODE: Record<string, ProviderErrorCode> = {
  invalid_api_key: 'auth',
  model_not_found: 'not_found',
  rate_limit_exceeded: 'rate_limited',
  insufficient_quota: 'bad_request',
  server_error: 'server',
  server_is_overloaded: 'server',
  invalid_prompt: 'bad_request',
  previous_response_not_found: 'bad_request',
  // The socket hit its lifetime; a new connection fixes it.
  websocket_connection_limit_reached: 'network',
};

function codeFor(apiCode: string | undefined, status: number | undefined, type: string | undefined): ProviderErrorCode {
  const mapped = apiCode ? CODE_BY_API_CODE[apiCode] : undefined;
  if (mapped) return mapped;
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status !== undefined && status >= 500) return 'server';
  if ((status !== undefined && status >= 400) || type === 'invalid_request_error') return 'bad_request';
  return 'server';
}

function errorEventError(event: StreamEvent): ResponsesApiError {
  const nested = event.error ?? undefined;
  const apiCode = nested?.code ?? event.code ?? undefined;
  const message = nested?.message ?? event.message ?? 'unknown error';
  const status = typeof event.status === 'number' ? event.status : undefined;
  const code = codeFor(apiCode, status, nested?.type);
  const verb = code === 'bad_request' || code === 'auth' || code === 'not_found' ? 'rejected the request' : 'reported an error';
  return new ResponsesApiError(code, `The model server ${verb}${apiCode ? ` (${apiCode})` : ''}: ${message}`, apiCode, status);
}

function failedError(error: { code?: string; message?: string } | null | undefined): ResponsesApiError {
  const apiCode = error?.code ?? undefined;
  const code = codeFor(apiCode, undefined, undefined);
  return new ResponsesApiError(code, `The model response failed${apiCode ? ` (${apiCode})` : ''}: ${error?.message ?? 'no reason given'}`, apiCode);
}
