// Running totals of a session's model calls, shown to clients in usage_update. ACP's `used`
// is the current context size (the last call's tokens), never a cumulative count.
import type { SessionUpdate } from '@agentclientprotocol/sdk';
import type { LoopEvent } from '../loop/events';
import { contextWindowOf } from '../providers/context-windows';

type ModelCallEvent = Extract<LoopEvent, { type: 'model_call' }>;

export interface UsageTotals {
  modelCalls: number;
  /** JSON bytes actually sent to the model. */
  bytesSent: number;
  /** Bytes on the wire after compression (equal to bytesSent when there is none). */
  wireBytesSent: number;
  /** What resending the whole request on every call would have sent: the stateless baseline. */
  statelessBytes: number;
  chainedCalls: number;
  bytesReceived: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

export class UsageMeter {
  readonly totals: UsageTotals = {
    modelCalls: 0,
    bytesSent: 0,
    wireBytesSent: 0,
    statelessBytes: 0,
    chainedCalls: 0,
    bytesReceived: 0,
    inputTokens: 0,
    cachedInputTokens: 0,
    outputTokens: 0,
  };
  private contextTokens = 0;
  private last?: ModelCallEvent;

  record(event: ModelCallEvent): void {
    const { totals } = this;
    totals.modelCalls += 1;
    totals.bytesSent += event.metrics.bytesSent;
    totals.wireBytesSent += event.metrics.wireBytesSent ?? event.metrics.bytesSent;
    totals.statelessBytes += event.metrics.fullRequestBytes ?? event.metrics.bytesSent;
    if (event.metrics.chained) totals.chainedCalls += 1;
    totals.bytesReceived += event.metrics.bytesReceived;
    if (event.usage) {
      totals.inputTokens += event.usage.inputTokens;
      totals.cachedInputTokens += event.usage.cachedInputTokens;
      totals.outputTokens += event.usage.outputTokens;
      this.contextTokens = event.usage.inputTokens + event.usage.outputTokens;
    }
    this.last = event;
  }

  update(model: string): SessionUpdate {
    const last = this.last;
    return {
      sessionUpdate: 'usage_update',
      used: this.contextTokens,
      size: contextWindowOf(model),
      _meta: { tether: { totals: { ...this.totals }, lastCall: last ? { ...last.metrics, agentMs: last.agentMs ?? null } : null } },
    };
  }
}
