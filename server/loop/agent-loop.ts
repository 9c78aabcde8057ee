// The agent loop: assemble context, stream the model, run the tools it asks for, feed the
// results back, repeat. Stateless: everything it learns goes out through hooks.emit.
import type { ToolSchema } from '../providers/types';
import { toolSchema } from '../tools/registry';
import type { LoopEvent, TurnInput, TurnStopReason } from './events';
import type { HistoryItem } from './items';
import { callModel, type ModelReply } from './model-call';
import { DEFAULT_TOOL_OUTPUT_LIMIT } from './output-cap';
import { ToolBatch } from './tool-runner';

function assistantItem(reply: ModelReply): HistoryItem {
  const item: HistoryItem = { type: 'assistant', text: reply.text, toolCalls: reply.toolCalls };
  if (reply.thinking) item.thinking = reply.thinking;
  if (reply.providerData !== undefined) item.providerData = reply.providerData;
  return item;
}

function stopReasonOf(reply: ModelReply): TurnStopReason | undefined {
  if (reply.cancelled) return 'cancelled';
  if (reply.toolCalls.length > 0) return undefined;
  if (reply.stopReason === 'max_tokens') return 'max_tokens';
  if (reply.stopReason === 'refusal') return 'refusal';
  return 'end_turn';
}

/** Runs one prompt turn to its stop reason. Throws only on fatal errors (provider failures, bugs). */
export async function runTurn(input: TurnInput): Promise<TurnStopReason> {
  const { hooks, signal } = input;
  const history: HistoryItem[] = [...input.history];
  const record = (item: HistoryItem): void => {
    history.push(item);
    hooks.emit({ type: 'history', item });
  };
  let previousReplyEnd: number | undefined;
  for (let index = 0; index < input.maxTurnRequests; index++) {
    if (signal.aborted) return 'cancelled';
    const tools: ToolSchema[] = hooks.offeredTools().map(toolSchema);
    const request = { conversationId: input.conversationId, model: input.model, instructions: input.instructions, tools, items: history };
    const agentMs = previousReplyEnd === undefined ? undefined : performance.now() - previousReplyEnd;
    const reply = await callModel(input.provider, request, signal, (event: LoopEvent) => hooks.emit(event));
    previousReplyEnd = performance.now();
    if (reply.metrics) {
      hooks.emit({ type: 'model_call', index, usage: reply.usage, metrics: reply.metrics, stopReason: reply.stopReason, agentMs });
    }
    // A cancelled reply keeps its partial text but drops half-received tool calls.
    if (reply.cancelled) reply.toolCalls = [];
    if (reply.text || reply.thinking || reply.toolCalls.length > 0) record(assistantItem(reply));
    const stop = stopReasonOf(reply);
    if (stop) return stop;
    const batch = new ToolBatch(reply.toolCalls, hooks, signal, input.toolOutputLimitBytes ?? DEFAULT_TOOL_OUTPUT_LIMIT);
    for (const result of await batch.run(input.cwd)) record(result);
    if (signal.aborted) return 'cancelled';
  }
  return 'max_turn_requests';
}
