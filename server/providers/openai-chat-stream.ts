// Decodes the `data:` payloads of a streamed chat completion into neutral model events.
// Tolerates the variations of compatible servers: reasoning under either field name,
// tool calls without an index or id, usage on every chunk, finish_reason 'stop' beside tool calls.
import { randomUUID } from 'node:crypto';
import { ProviderError, type ModelEvent, type StopReason, type TokenUsage } from './types';

/** Events the decoder produces; the provider adds `done` with its metrics. */
export type DecodedEvent = Exclude<ModelEvent, { type: 'done' }>;

interface PendingCall {
  index: number;
  id: string;
  name: string;
  args: string;
}

interface ChunkToolCall {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

interface ChunkDelta {
  content?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  refusal?: string | null;
  tool_calls?: ChunkToolCall[] | null;
}

interface ChunkUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
}

interface Chunk {
  choices?: { index?: number; delta?: ChunkDelta; finish_reason?: string | null }[];
  usage?: ChunkUsage | null;
  error?: { message?: string; type?: string; code?: string | number | null } | string;
}

const FINISH_REASONS: Record<string, StopReason> = {
  stop: 'end_turn',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  length: 'max_tokens',
  content_filter: 'refusal',
};

export class ChatStreamDecoder {
  private readonly calls = new Map<number, PendingCall>();
  private emittedCalls = 0;
  private finishReason: string | undefined;
  private refused = false;
  private usage: TokenUsage | undefined;
  /** True once `data: [DONE]` arrived; the caller stops reading then. */
  sawDone = false;

  /** Decodes one `data:` payload. Throws ProviderError for in-stream errors and malformed chunks. */
  accept(data: string): DecodedEvent[] {
    if (data.trim() === '[DONE]') {
      this.sawDone = true;
      return this.flushCalls();
    }
    const chunk = parseChunk(data);
    if (chunk.error) throw streamError(chunk.error);
    if (chunk.usage) this.usage = toUsage(chunk.usage);
    const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
    if (!choice) return [];
    const events = this.deltaEvents(choice.delta ?? {});
    if (choice.finish_reason) {
      this.finishReason = choice.finish_reason;
      events.push(...this.flushCalls());
    }
    return events;
  }

  /** Closes the stream: final tool calls, then usage. Throws if the stream was cut short. */
  finish(): { events: DecodedEvent[]; stopReason: StopReason } {
    if (!this.sawDone && this.finishReason === undefined) {
      throw new ProviderError('network', 'The model server closed the stream before the response was complete.');
    }
    const events = this.flushCalls();
    if (this.usage) events.push({ type: 'usage', usage: this.usage });
    return { events, stopReason: this.stopReason() };
  }

  private stopReason(): StopReason {
    if (this.refused) return 'refusal';
    const mapped = FINISH_REASONS[this.finishReason ?? 'stop'] ?? 'end_turn';
    // Some servers (older Ollama) report 'stop' even when the turn ends in tool calls.
    return mapped === 'end_turn' && this.emittedCalls > 0 ? 'tool_use' : mapped;
  }

  private deltaEvents(delta: ChunkDelta): DecodedEvent[] {
    const events: DecodedEvent[] = [];
    const reasoning = delta.reasoning_content || delta.reasoning;
    if (reasoning) events.push({ type: 'thinking_delta', text: reasoning });
    if (delta.content) events.push({ type: 'text_delta', text: delta.content });
    if (delta.refusal) {
      this.refused = true;
      events.push({ type: 'text_delta', text: delta.refusal });
    }
    delta.tool_calls?.forEach((piece, position) => this.addCallPiece(piece, position));
    return events;
  }

  private addCallPiece(piece: ChunkToolCall, position: number): void {
    const index = piece.index ?? position;
    let call = this.calls.get(index);
    if (!call) {
      call = { index, id: '', name: '', args: '' };
      this.calls.set(index, call);
    }
    if (piece.id && !call.id) call.id = piece.id;
    if (piece.function?.name && !call.name) call.name = piece.function.name;
    if (piece.function?.arguments) call.args += piece.function.arguments;
  }

  private flushCalls(): DecodedEvent[] {
    const ordered = [...this.calls.values()].sort((a, b) => a.index - b.index);
    this.calls.clear();
    return ordered.map((call) => {
      if (!call.name) throw new ProviderError('protocol', `The model server sent tool call #${call.index} without a function name.`);
      this.emittedCalls++;
      const id = call.id || `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
      // An argument-less call may stream no arguments at all; '{}' keeps the JSON parseable.
      return { type: 'tool_call', call: { id, name: call.name, argumentsJson: call.args.trim() === '' ? '{}' : call.args } };
    });
  }
}

function parseChunk(data: string): Chunk {
  try {
    const parsed: unknown = JSON.parse(data);
    if (parsed && typeof parsed === 'object') return parsed as Chunk;
  } catch {
    // fall through to the protocol error
  }
  throw new ProviderError('protocol', `The model server sent a malformed stream chunk: ${data.slice(0, 200)}`);
}

function toUsage(usage: ChunkUsage): TokenUsage {
  return {
    inputTokens: usage.prompt_tokens ?? 0,
    cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    outputTokens: usage.completion_tokens ?? 0,
  };
}

function streamError(error: NonNullable<Chunk['error']>): ProviderError {
  const info = typeof error === 'string' ? { message: error } : error;
  const message = info.message || 'unknown error';
  const invalid = info.type === 'invalid_request_error' || info.code === 400 || info.code === '400';
  return invalid
    ? new ProviderError('bad_request', `The model server rejected the request mid-stream: ${message}`)
    : new ProviderError('server', `The model server reported an error mid-stream: ${message}`);
}
