// The scripted Responses server itself, driven by a bare `ws` client so that its faithfulness
// does not depend on the provider under test.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { startScriptedResponsesServer, type ScriptedResponsesServer } from '../../../server/demo/scripted-responses-server';

type Event = { type: string; [key: string]: unknown };

/** Opens a socket and collects every event it receives. */
async function open(server: ScriptedResponsesServer): Promise<{ ws: WebSocket; events: Event[]; next: (type: string) => Promise<Event> }> {
  const ws = new WebSocket(server.url.replace('http:', 'ws:') + '/responses');
  const events: Event[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data: Buffer) => {
    events.push(JSON.parse(data.toString()) as Event);
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let seen = 0;
  const next = async (type: string): Promise<Event> => {
    for (;;) {
      const index = events.findIndex((event, i) => i >= seen && (event.type === type || event.type === 'error'));
      if (index >= 0) {
        seen = index + 1;
        return events[index]!;
      }
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { ws, events, next };
}

const create = (fields: object) => JSON.stringify({ type: 'response.create', model: 'm', ...fields });

describe('scripted responses server', () => {
  let server: ScriptedResponsesServer;
  before(async () => {
    server = await startScriptedResponsesServer({
      script: [{ text: 'one' }, { text: 'two', toolCalls: [{ id: 'call_a', name: 'ls', arguments: {} }] }, { text: 'three' }, { text: 'four' }, { text: 'five' }],
    });
  });
  after(() => server.close());

  it('chains on the latest response only, sends a sparse completed event, and evicts after an error', async () => {
    const { ws, events, next } = await open(server);
    ws.send(create({ input: 'hi' }));
    const first = await next('response.completed');
    assert.deepEqual((first.response as { output: unknown[] }).output, [], 'sparse over the socket');
    assert.ok(events.some((e) => e.type === 'response.output_item.done'));
    const firstId = (first.response as { id: string }).id;
    ws.send(create({ previous_response_id: firstId, input: [{ type: 'message', role: 'user', content: 'more' }] }));
    const second = await next('response.completed');
    assert.equal(second.type, 'response.completed');
    assert.deepEqual(server.requests[1]!.input.map((item) => item.type), ['message', 'message', 'message']);
    // Only the latest response is cached: the first id is gone now.
    ws.send(create({ previous_response_id: firstId, input: [] }));
    const miss = await next('response.completed');
    assert.deepEqual(miss, { type: 'error', status: 400, error: { type: 'invalid_request_error', code: 'previous_response_not_found', message: `Previous response with id '${firstId}' not found.`, param: null } });
    // The failed turn evicted the latest one too.
    ws.send(create({ previous_response_id: (second.response as { id: string }).id, input: [] }));
    assert.equal(((await next('response.completed')).error as { code: string }).code, 'previous_response_not_found');
    ws.close();
  });

  it('refuses a second response while one is in flight, stream over the socket, and unanswered outputs', async () => {
    const { ws, next } = await open(server);
    server.faults[server.requests.length] = { hang: true, chunkDelayMs: 10 };
    ws.send(create({ input: 'slow' }));
    ws.send(create({ input: 'too soon' }));
    assert.equal(((await next('response.completed')).error as { code: string }).code, 'response_in_progress');
    ws.terminate();
    const fresh = await open(server);
    fresh.ws.send(create({ input: 'x', stream: true }));
    assert.equal(((await fresh.next('response.completed')).error as { code: string }).code, 'unsupported_parameter');
    fresh.ws.send(create({ input: [{ type: 'function_call_output', call_id: 'nope', output: '' }] }));
    assert.match(((await fresh.next('response.completed')).error as { message: string }).message, /No tool call found .* nope/);
    fresh.ws.close();
  });

  it('answers upgrades with 426 on demand, and lists the full output over HTTP', async () => {
    server.rejectUpgrades(426);
    await assert.rejects(open(server), /426/);
    server.rejectUpgrades(undefined);
    const response = await fetch(`${server.url}/responses`, { method: 'POST', body: JSON.stringify({ model: 'm', input: 'hi', stream: true }) });
    const frames = (await response.text()).split('\n\n').filter(Boolean);
    const completed = JSON.parse(frames.at(-1)!.split('\n')[1]!.slice('data: '.length));
    assert.equal(completed.type, 'response.completed');
    assert.ok(completed.response.output.length > 0);
    assert.ok(completed.response.usage.input_tokens > 0);
  });

  it('simulates a slow link: a round trip of latency plus upload time before the first event', async () => {
    const slow = await startScriptedResponsesServer({ script: () => ({ text: 'ok' }), link: { latencyMs: 25, uploadBytesPerSecond: 20_000 } });
    try {
      const body = JSON.stringify({ model: 'm', input: 'x'.repeat(2000), stream: true });
      const started = performance.now();
      const response = await fetch(`${slow.url}/responses`, { method: 'POST', body });
      await response.text();
      const elapsed = performance.now() - started;
      // 2 × 25 ms + 2 KB at 20 KB/s = 150 ms.
      assert.ok(elapsed >= 145 && elapsed < 1000, `took ${elapsed} ms`);
    } finally {
      await slow.close();
    }
  });
});
