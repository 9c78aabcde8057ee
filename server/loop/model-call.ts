// One model request: streams deltas to the owner and collects the assistant's reply.
import { ProviderError, type CallMetrics, type ModelProvider, type ModelRequest, type StopReason, type TokenUsage } from '../providers/types';
import type { LoopEvent } from './events';
import type { ToolCallRequest } from './items';

export interface ModelReply {
  text: string;
  thinking: string;
  providerData?: unknown;
  toolCalls: ToolCallRequest[];
  stopReason: StopReason;
  usage?: TokenUsage;
  metrics?: CallMetrics;
  /** True when the signal aborted the stream; the reply holds what arrived before. */
  cancelled: boolean;
}

export async function callModel(
  provider: ModelProvider,
  request: ModelRequest,
  signal: AbortSignal,
  emit: (event: LoopEvent) => void,
): Promise<ModelReply> {
  const reply: ModelReply = { text: '', thinking: '', toolCalls: [], stopReason: 'end_turn', cancelled: false };
  try {
    for await (const event of provider.stream(request, signal)) {
      switch (event.type) {
        case 'text_delta':
          reply.text += event.text;
          emit({ type: 'text_delta', text: event.text });
          break;
        case 'thinking_delta':
          reply.thinking += event.text;
          emit({ type: 'thinking_delta', text: event.text });
          break;
        case 'tool_call':
          reply.toolCalls.push({ ...event.call });
          break;
        case 'usage':
          reply.usage = event.usage;
          break;
        case 'provider_data':
          reply.providerData = event.data;
          break;
        case 'done':
          reply.stopReason = event.stopReason;
          reply.metrics = event.metrics;
          break;
      }
    }
  } catch (error) {
    if (signal.aborted || (error instanceof ProviderError && error.code === 'cancelled')) {
      reply.cancelled = true;
      return reply;
    }
    throw error;
  }
  if (signal.aborted) reply.cancelled = true;
  return reply;
}
