// What the loop tells its owner, and the hooks it calls. The owner (a session) turns these
// into protocol updates and storage; the loop itself keeps nothing between turns.
import type { CallMetrics, ModelProvider, StopReason as ModelStopReason, TokenUsage } from '../providers/types';
import type { ToolContext, ToolDefinition, ToolDisplay, ToolKind, ToolLocation } from '../tools/types';
import type { HistoryItem } from './items';

export type TurnStopReason = 'end_turn' | 'max_tokens' | 'max_turn_requests' | 'refusal' | 'cancelled';

export type LoopEvent =
  | { type: 'text_delta'; text: string }
  | { type: 'thinking_delta'; text: string }
  /** A tool call the model asked for, announced before permission or execution. */
  | { type: 'tool_call'; callId: string; name: string; title: string; kind: ToolKind; rawInput: unknown; locations: ToolLocation[] }
  | { type: 'tool_running'; callId: string }
  | { type: 'tool_done'; callId: string; ok: boolean; output: string; display?: ToolDisplay[]; locations?: ToolLocation[] }
  /** A new item for the conversation history; the owner must append it in order. */
  | { type: 'history'; item: HistoryItem }
  /** `agentMs`: harness time between the previous model response's end and this request (tools included). */
  | { type: 'model_call'; index: number; usage?: TokenUsage; metrics: CallMetrics; stopReason: ModelStopReason; agentMs?: number };

export interface PreparedCall {
  callId: string;
  tool: ToolDefinition;
  args: unknown;
}

export type Authorization = { allowed: true } | { allowed: false; reason: string };

export interface TurnHooks {
  /** Tools offered on the next model request; asked again before every request since a mode may change mid-turn. */
  offeredTools(): ToolDefinition[];
  authorize(call: PreparedCall, signal: AbortSignal): Promise<Authorization>;
  toolContext(call: PreparedCall, signal: AbortSignal): ToolContext;
  emit(event: LoopEvent): void;
}

export interface TurnInput {
  provider: ModelProvider;
  /** Lets a stateful provider chain requests of one conversation. */
  conversationId?: string;
  model: string;
  instructions: string;
  /** Workspace root, for tool locations. */
  cwd: string;
  /** The whole conversation so far, ending with the new user item. */
  history: readonly HistoryItem[];
  maxTurnRequests: number;
  /** Cap on what one tool result may put into the model's context. */
  toolOutputLimitBytes?: number;
  signal: AbortSignal;
  hooks: TurnHooks;
}
