import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnyMessage, Stream } from '@agentclientprotocol/sdk';
import { limitPendingRequests, TOO_MANY_PENDING_REQUESTS } from '../../../server/daemon/pending-requests';

/** An in-memory transport: `push` plays the client, `sent` is what reached the wire. */
function fakeTransport() {
  let push: (message: AnyMessage) => void = () => undefined;
  const sent: AnyMessage[] = [];
  const inner: Stream = {
    readable: new ReadableStream<AnyMessage>({ start: (controller) => void (push = (message) => controller.enqueue(message)) }),
    writable: new WritableStream<AnyMessage>({ write: (message) => void sent.push(message) }),
  };
  return { inner, push: (message: AnyMessage) => push(message), sent };
}

const request = (id: number | string): AnyMessage => ({ jsonrpc: '2.0', id, method: 'session/prompt', params: {} });

test('requests over the limit are answered with -32010 and never reach the app', async () => {
  const { inner, push, sent } = fakeTransport();
  const limited = limitPendingRequests(inner, 2);
  const reader = limited.readable.getReader();
  push(request(1));
  push(request(2));
  push(request(3));
  push({ jsonrpc: '2.0', method: 'session/cancel', params: {} });
  assert.deepEqual((await reader.read()).value, request(1));
  assert.deepEqual((await reader.read()).value, request(2));
  // Request 3 is refused on the way; the notification still passes.
  assert.equal(((await reader.read()).value as { method: string }).method, 'session/cancel');
  assert.equal(limited.pendingCount(), 2);
  assert.equal(sent.length, 1);
  const refusal = sent[0] as { id: number; error: { code: number; message: string; data: unknown } };
  assert.equal(refusal.id, 3);
  assert.equal(refusal.error.code, TOO_MANY_PENDING_REQUESTS);
  assert.match(refusal.error.message, /Too many pending requests/);
  assert.deepEqual(refusal.error.data, { tether: { error: 'too_many_pending_requests', limit: 2 } });
});

test('an answer frees its slot; ids of different types are different requests', async () => {
  const { inner, push, sent } = fakeTransport();
  const limited = limitPendingRequests(inner, 2);
  const reader = limited.readable.getReader();
  const writer = limited.writable.getWriter();
  push(request(1));
  push(request('1'));
  await reader.read();
  await reader.read();
  assert.equal(limited.pendingCount(), 2);
  await writer.write({ jsonrpc: '2.0', id: 1, result: {} });
  assert.equal(limited.pendingCount(), 1, 'the number 1 answered, the string "1" still pending');
  push(request(4));
  assert.deepEqual((await reader.read()).value, request(4));
  assert.deepEqual(sent, [{ jsonrpc: '2.0', id: 1, result: {} }]);
});

test('responses from the client and outbound requests are not counted', async () => {
  const { inner, push } = fakeTransport();
  const limited = limitPendingRequests(inner, 1);
  const reader = limited.readable.getReader();
  const writer = limited.writable.getWriter();
  await writer.write({ jsonrpc: '2.0', id: 'agent-1', method: 'session/request_permission', params: {} });
  push({ jsonrpc: '2.0', id: 'agent-1', result: {} });
  push(request(7));
  await reader.read();
  assert.deepEqual((await reader.read()).value, request(7));
  assert.equal(limited.pendingCount(), 1);
});

test('a limit below 1 is refused', () => {
  assert.throws(() => limitPendingRequests(fakeTransport().inner, 0), RangeError);
});
