import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startScriptedChatServer, type ScriptedChatServer, type ScriptedResponse } from '../../../server/demo/scripted-chat-server';
import { createOpenAIChatProvider } from '../../../server/providers/openai-chat';
import type { ModelEvent } from '../../../server/providers/types';
import { API_KEY, collect, request, textOf } from './helpers';

describe('openai-chat provider against the scripted server', () => {
  let server: ScriptedChatServer;
  const queue: ScriptedResponse[] = [];
  before(async () => {
    server = await startScriptedChatServer({ script: () => queue.shift() ?? { text: 'default' } });
  });
  after(() => server.close());
  const provider = () => createOpenAIChatProvider({ baseUrl: server.url, apiKey: API_KEY, models: ['scripted-model'] });

  it('streams text and thinking, then usage and done with sane metrics', async () => {
    const text = 'Hello, wörld 🎉 — here is a longer answer split in many pieces.';
    queue.push({ thinking: 'Let me think about ünïcode.', text, chunkChars: 3 });
    const before = server.requests.length;
    const events = await collect(provider());
    const recorded = server.requests[before]!;
    assert.equal(textOf(events), text);
    assert.equal(textOf(events, 'thinking_delta'), 'Let me think about ünïcode.');
    assert.ok(events.filter((e) => e.type === 'text_delta').length > 10, 'text arrived in pieces');
    assert.deepEqual(events.at(-2), { type: 'usage', usage: { inputTokens: Math.ceil(recorded.bytes / 4), cachedInputTokens: 0, outputTokens: Math.ceil((text.length + 27) / 4) } });
    const done = events.at(-1) as Extract<ModelEvent, { type: 'done' }>;
    assert.equal(done.type, 'done');
    assert.equal(done.stopReason, 'end_turn');
    assert.equal(done.metrics.bytesSent, recorded.bytes);
    assert.equal(done.metrics.bytesReceived, recorded.responseBytes);
    assert.ok(done.metrics.ttfbMs >= 0 && done.metrics.ttfbMs <= done.metrics.totalMs);
    assert.ok(done.metrics.totalMs < 5000);
    assert.equal(recorded.headers.authorization, `Bearer ${API_KEY}`);
    assert.equal(recorded.body.stream, true);
    assert.deepEqual(recorded.body.stream_options, { include_usage: true });
  });

  it('assembles parallel tool calls whose arguments arrive in pieces', async () => {
    const first = { path: 'src/a.ts', note: 'ünïcode and "quotes"' };
    const second = { pattern: 'TODO', paths: ['a', 'b', 'c'], limit: 20 };
    queue.push({
      text: 'Reading both.',
      toolCalls: [
        { id: 'call_A', name: 'read_file', arguments: first },
        { id: 'call_B', name: 'grep', arguments: second },
        { name: 'list_dir', arguments: '' },
      ],
      chunkChars: 5,
    });
    const events = await collect(provider());
    const calls = events.flatMap((e) => (e.type === 'tool_call' ? [e.call] : []));
    assert.deepEqual(calls.slice(0, 2), [
      { id: 'call_A', name: 'read_file', argumentsJson: JSON.stringify(first) },
      { id: 'call_B', name: 'grep', argumentsJson: JSON.stringify(second) },
    ]);
    assert.equal(calls[2]?.name, 'list_dir');
    assert.equal(calls[2]?.argumentsJson, '{}');
    assert.match(calls[2]?.id ?? '', /^call_scripted_/);
    assert.deepEqual(
      events.map((e) => e.type).filter((t, i, all) => t !== all[i - 1]),
      ['text_delta', 'tool_call', 'usage', 'done'],
    );
    assert.equal((events.at(-1) as Extract<ModelEvent, { type: 'done' }>).stopReason, 'tool_use');
  });

  it('reports scripted usage with cached tokens, and maps finish reasons', async () => {
    queue.push({ text: 'cut', finishReason: 'length', usage: { prompt_tokens: 1200, completion_tokens: 30, cached_tokens: 1024 } });
    const events = await collect(provider());
    assert.deepEqual(events.at(-2), { type: 'usage', usage: { inputTokens: 1200, cachedInputTokens: 1024, outputTokens: 30 } });
    assert.equal((events.at(-1) as Extract<ModelEvent, { type: 'done' }>).stopReason, 'max_tokens');
    queue.push({ text: 'no', finishReason: 'content_filter' });
    assert.equal((((await collect(provider())).at(-1)) as Extract<ModelEvent, { type: 'done' }>).stopReason, 'refusal');
  });

  it('sends byte-identical bodies for the same request', async () => {
    const bodies: string[] = [];
    const spy: typeof fetch = (input, init) => {
      bodies.push(String(init?.body));
      return fetch(input, init);
    };
    const spying = createOpenAIChatProvider({ baseUrl: server.url, apiKey: API_KEY, models: ['m'], fetchImpl: spy });
    const req = request({
      items: [
        { type: 'user', parts: [{ type: 'text', text: 'read a.ts' }] },
        { type: 'assistant', text: '', toolCalls: [{ id: 'c1', name: 'read_file', argumentsJson: '{"path":"a.ts"}' }] },
        { type: 'tool_result', callId: 'c1', name: 'read_file', output: 'x', isError: false },
      ],
    });
    const before = server.requests.length;
    const done1 = (await collect(spying, req)).at(-1) as Extract<ModelEvent, { type: 'done' }>;
    await collect(spying, structuredClone(req));
    assert.equal(bodies.length, 2);
    assert.equal(bodies[0], bodies[1]);
    assert.equal(done1.metrics.bytesSent, Buffer.byteLength(bodies[0]!));
    assert.equal(server.requests[before]!.bytes, Buffer.byteLength(bodies[0]!));
    assert.deepEqual(server.requests[before]!.body.messages[2], { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }] });
  });

  it('sends no authorization header without a key', async () => {
    const before = server.requests.length;
    await collect(createOpenAIChatProvider({ baseUrl: `${server.url}/`, models: ['local'] }));
    assert.equal(server.requests[before]!.headers.authorization, undefined);
  });
});
