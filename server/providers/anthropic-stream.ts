// Decodes the events of a streamed Anthropic Messages response into neutral model events,
// and rebuilds the reply's content blocks (thinking with its signature) for the next request.
import { providerDataOf, toolInputOf, type AssistantBlock } from './anthropic-content';
import { streamErrorOf } from './anthropic-errors';
import { ProviderError, type ModelEvent, type StopReason, type TokenUsage } from './types';

/** Events the decoder produces; the provider adds `done` with its metrics. */
export type DecodedEvent = Exclude<ModelEvent, { type: 'done' }>;

/** A block as it streams in; tool input arrives as JSON text in pieces. */
type OpenBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; json: string; initialInput: unknown }
  /** Block types this client does not use (server tools, citations): skipped, never replayed. */
  | { type: 'other' };

interface WireUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

interface WireEvent {
  type?: string;
  index?: number;
  message?: { usage?: WireUsage };
  content_block?: Record<string, unknown>;
  delta?: Record<string, unknown>;
  usage?: WireUsage;
  error?: { type?: string; message?: string };
}

const STOP_REASONS: Record<string, StopReason> = {
  end_turn: 'end_turn',
  stop_sequence: 'end_turn',
  // Only server-side tools pause a turn; this client sends none, so treat it as a finished turn.
  pause_turn: 'end_turn',
  tool_use: 'tool_use',
  max_tokens: 'max_tokens',
  model_context_window_exceeded: 'max_tokens',
  refusal: 'refusal',
};

export class AnthropicStreamDecoder {
  private readonly blocks = new Map<number, OpenBlock>();
  private readonly finished: { index: number; block: AssistantBlock }[] = [];
  private readonly usage: Required<{ [K in keyof WireUsage]: number }> = {
    input_tokens: 0,
    output_tokens: 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
  private sawUsage = false;
  private stopReason: string | undefined;
  private emittedCalls = 0;
  /** True once message_stop arrived; the caller stops reading then. */
  sawStop = false;

  /** Decodes one SSE event. Throws ProviderError for an `error` event or a malformed payload. */
  accept(eventName: string | undefined, data: string): DecodedEvent[] {
    const event = parseEvent(data);
    switch (event.type ?? eventName) {
      case 'message_start':
        this.addUsage(event.message?.usage);
        return [];
      case 'content_block_start':
        return this.start(event);
      case 'content_block_delta':
        return this.delta(event);
      case 'content_block_stop':
        return this.stop(event);
      case 'message_delta':
        if (typeof event.delta?.stop_reason === 'string') this.stopReason = event.delta.stop_reason;
        this.addUsage(event.usage);
        return [];
      case 'message_stop':
        this.sawStop = true;
        return [];
      case 'error':
        throw streamErrorOf(event.error?.type, event.error?.message);
      default:
        // ping, and event types added later: the API's versioning policy says to ignore them.
        return [];
    }
  }

  /** Closes the stream: provider data, then usage. Throws if the stream was cut short. */
  finish(): { events: DecodedEvent[]; stopReason: StopReason } {
    if (!this.sawStop) {
      throw new ProviderError('network', 'The Anthropic API closed the stream before the response was complete.');
    }
    const content = this.finished.sort((a, b) => a.index - b.index).map((entry) => entry.block);
    const events: DecodedEvent[] = [{ type: 'provider_data', data: providerDataOf(content) }];
    if (this.sawUsage) events.push({ type: 'usage', usage: this.tokenUsage() });
    return { events, stopReason: this.mappedStopReason() };
  }

  private mappedStopReason(): StopReason {
    const mapped = STOP_REASONS[this.stopReason ?? 'end_turn'] ?? 'end_turn';
    return mapped === 'end_turn' && this.emittedCalls > 0 ? 'tool_use' : mapped;
  }

  private tokenUsage(): TokenUsage {
    const u = this.usage;
    // input_tokens counts only what came after the last cache breakpoint; the prompt is all three.
    return {
      inputTokens: u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens,
      cachedInputTokens: u.cache_read_input_tokens,
      outputTokens: u.output_tokens,
    };
  }

  /** message_start carries the input side; message_delta the output side, and newer servers repeat the totals. */
  private addUsage(usage: WireUsage | undefined): void {
    if (!usage) return;
    for (const key of Object.keys(this.usage) as (keyof WireUsage)[]) {
      const value = usage[key];
      if (typeof value === 'number') {
        this.usage[key] = value;
        this.sawUsage = true;
      }
    }
  }

  private start(event: WireEvent): DecodedEvent[] {
    const index = indexOf(event);
    const raw = event.content_block ?? {};
    const block = openBlock(raw);
    this.blocks.set(index, block);
    // Blocks normally start empty and fill through deltas; text present at the start still counts.
    if (block.type === 'text' && block.text) return [{ type: 'text_delta', text: block.text }];
    if (block.type === 'thinking' && block.thinking) return [{ type: 'thinking_delta', text: block.thinking }];
    return [];
  }

  private delta(event: WireEvent): DecodedEvent[] {
    const block = this.openAt(event);
    const delta = event.delta ?? {};
    const piece = (field: string) => (typeof delta[field] === 'string' ? (delta[field] as string) : '');
    if (delta.type === 'text_delta' && block.type === 'text') {
      block.text += piece('text');
      return piece('text') ? [{ type: 'text_delta', text: piece('text') }] : [];
    }
    if (delta.type === 'thinking_delta' && block.type === 'thinking') {
      block.thinking += piece('thinking');
      return piece('thinking') ? [{ type: 'thinking_delta', text: piece('thinking') }] : [];
    }
    if (delta.type === 'signature_delta' && block.type === 'thinking') block.signature += piece('signature');
    else if (delta.type === 'input_json_delta' && block.type === 'tool_use') block.json += piece('partial_json');
    return [];
  }

  private stop(event: WireEvent): DecodedEvent[] {
    const index = indexOf(event);
    const block = this.openAt(event);
    this.blocks.delete(index);
    const done = closeBlock(block);
    if (!done) return [];
    this.finished.push({ index, block: done });
    if (done.type !== 'tool_use' || block.type !== 'tool_use') return [];
    this.emittedCalls++;
    return [{ type: 'tool_call', call: { id: done.id, name: done.name, argumentsJson: argumentsOf(block) } }];
  }

  private openAt(event: WireEvent): OpenBlock {
    const block = this.blocks.get(indexOf(event));
    if (!block) throw new ProviderError('protocol', `The Anthropic API sent ${event.type} for block ${String(event.index)}, which was never started.`);
    return block;
  }
}

function openBlock(raw: Record<string, unknown>): OpenBlock {
  const text = (field: string) => (typeof raw[field] === 'string' ? (raw[field] as string) : '');
  switch (raw.type) {
    case 'text':
      return { type: 'text', text: text('text') };
    case 'thinking':
      return { type: 'thinking', thinking: text('thinking'), signature: text('signature') };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: text('data') };
    case 'tool_use':
      if (!text('id') || !text('name')) throw new ProviderError('protocol', 'The Anthropic API started a tool_use block without an id or name.');
      return { type: 'tool_use', id: text('id'), name: text('name'), json: '', initialInput: raw.input };
    default:
      return { type: 'other' };
  }
}

function closeBlock(block: OpenBlock): AssistantBlock | undefined {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'thinking':
      // Unsigned thinking would get every later request of the session rejected; its text was streamed already.
      return block.signature ? { type: 'thinking', thinking: block.thinking, signature: block.signature } : undefined;
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: toolInputOf(argumentsOf(block)) };
    case 'other':
      return undefined;
  }
}

/** The streamed JSON text; a call without input deltas uses the start's input, or {}. */
function argumentsOf(block: Extract<OpenBlock, { type: 'tool_use' }>): string {
  if (block.json.trim() !== '') return block.json;
  const initial = block.initialInput;
  return initial && typeof initial === 'object' && Object.keys(initial).length > 0 ? JSON.stringify(initial) : '{}';
}

function indexOf(event: WireEvent): number {
  if (typeof event.index === 'number') return event.index;
  throw new ProviderError('protocol', `The Anthropic API sent ${event.type} without a block index.`);
}

function parseEvent(data: string): WireEvent {
  try {
    const parsed: unknown = JSON.parse(data);
    if (parsed && typeof parsed === 'object') return parsed as WireEvent;
  } catch {
    // fall through to the protocol error
  }
  throw new ProviderError('protocol', `The Anthropic API sent a malformed stream event: ${data.slice(0, 200)}`);
}
