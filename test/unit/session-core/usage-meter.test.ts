import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageMeter } from '../../../server/session/usage-meter';

const call = (bytesSent: number, fullRequestBytes: number, chained: boolean, input: number) => ({
  type: 'model_call' as const,
  index: 0,
  stopReason: 'tool_use' as const,
  usage: { inputTokens: input, cachedInputTokens: 0, outputTokens: 10 },
  metrics: { bytesSent, fullRequestBytes, chained, bytesReceived: 100, ttfbMs: 1, totalMs: 2 },
});

test('used is the current context, totals accumulate, and the stateless baseline is kept apart', () => {
  const meter = new UsageMeter();
  meter.record(call(5000, 5000, false, 1000));
  meter.record(call(300, 6000, true, 1500));
  const update = meter.update('gpt-4o');
  assert.equal(update.sessionUpdate, 'usage_update');
  assert.ok(update.sessionUpdate === 'usage_update');
  assert.equal(update.used, 1510, 'the last call, not the sum');
  assert.equal(update.size, 128_000);
  const totals = (update._meta as { tether: { totals: Record<string, number> } }).tether.totals;
  assert.equal(totals.bytesSent, 5300);
  assert.equal(totals.statelessBytes, 11000);
  assert.equal(totals.chainedCalls, 1);
  assert.equal(totals.wireBytesSent, 5300);
});
