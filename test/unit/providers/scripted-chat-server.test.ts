import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startScriptedChatServer, type ScriptedChatServer } from '../../../server/demo/scripted-chat-server';

/** Posts a chat request and returns the raw `data:` payloads, split by hand (independent of the provider's parser). */
async function post(url: string, body: object): Promise<{ status: number; payloads: string[]; contentType: string | null }> {
  const response = await fetch(`${url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  const payloads = text
    .split('\n\n')
    .filter((frame) => frame !== '')
    .map((frame) => {
      assert.ok(frame.startsWith('data: '), `frame ${JSON.stringify(frame)} is a data line`);
      return frame.slice('data: '.length);
    });
  return { status: response.status, payloads, contentType: response.headers.get('content-type') };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const parse = (payloads: string[]): any[] => payloads.filter((p) => p !== '[DONE]').map((p) => JSON.parse(p));

describe('scripted chat server wire format', () => {
  let server: ScriptedChatServer;
  before(async () => {
    server = await startScriptedChatServer({
      script: [
        { text: 'Hello 🎉 world', thinking: 'hmm', chunkChars: 4 },
        { toolCalls: [{ id: 'call_1', name: 'read_file', arguments: { path: 'a.ts' } }, { name: 'grep', arguments: '{"q":"x"}' }], chunkChars: 3 },
        { text: 'no usage requested' },
      ],
    });
  });
  after(() => server.close());

  it('streams OpenAI-shaped chunks: role first, pieces, finish, usage, [DONE]', async () => {
    const { status, payloads, contentType } = await post(server.url, { model: 'my-model', messages: [], stream: true, stream_options: { include_usage: true } });
    assert.equal(status, 200);
    assert.match(contentType ?? '', /^text\/event-stream/);
    assert.equal(payloads.at(-1), '[DONE]');
    const chunks = parse(payloads);
    for (const chunk of chunks) {
      assert.match(chunk.id, /^chatcmpl-/);
      assert.equal(chunk.object, 'chat.completion.chunk');
      assert.equal(chunk.model, 'my-model');
      assert.equal(typeof chunk.created, 'number');
      assert.equal(chunk.id, chunks[0].id);
    }
    assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '' });
    const deltas = chunks.slice(0, -1).map((c) => c.choices[0].delta);
    assert.equal(deltas.map((d) => d.reasoning_content ?? '').join(''), 'hmm');
    assert.deepEqual(deltas.map((d) => d.content ?? '').filter(Boolean), ['Hell', 'o 🎉 ', 'worl', 'd']);
    const finish = chunks.at(-2);
    assert.deepEqual(finish.choices, [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]);
    assert.equal(finish.usage, null, 'usage is null before the usage chunk');
    const usage = chunks.at(-1);
    assert.deepEqual(usage.choices, []);
    assert.equal(usage.usage.prompt_tokens, Math.ceil(server.requests[0]!.bytes / 4));
    assert.equal(usage.usage.total_tokens, usage.usage.prompt_tokens + usage.usage.completion_tokens);
  });

  it('splits tool call arguments, with id and name only in the first piece', async () => {
    const { payloads } = await post(server.url, { model: 'm', messages: [], stream: true, stream_options: { include_usage: true } });
    const chunks = parse(payloads);
    assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: null });
    const pieces = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    for (const index of [0, 1]) {
      const mine = pieces.filter((p) => p.index === index);
      assert.ok(mine.length >= 3, 'arguments came in several pieces');
      assert.equal(mine[0].type, 'function');
      assert.equal(mine[0].function.arguments, '');
      assert.ok(mine.slice(1).every((p) => p.id === undefined && p.function.name === undefined));
      const args = mine.map((p) => p.function.arguments).join('');
      assert.equal(args, index === 0 ? '{"path":"a.ts"}' : '{"q":"x"}');
    }
    const ids = pieces.filter((p) => p.id).map((p) => p.id);
    assert.equal(ids[0], 'call_1');
    assert.match(ids[1], /^call_scripted_/);
    assert.equal(chunks.at(-2).choices[0].finish_reason, 'tool_calls');
  });

  it('sends no usage chunk unless asked, and refuses non-streaming requests', async () => {
    const refused = await fetch(`${server.url}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', messages: [] }) });
    assert.equal(refused.status, 400);
    assert.match((await refused.json()).error.message, /stream/);
    const { payloads } = await post(server.url, { model: 'm', messages: [], stream: true });
    const chunks = parse(payloads);
    assert.ok(chunks.every((c) => c.choices.length === 1 && !('usage' in c)));
  });

  it('answers a clear 500 once the script is exhausted', async () => {
    const response = await fetch(`${server.url}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', stream: true }) });
    assert.equal(response.status, 500);
    assert.match((await response.json()).error.message, /script exhausted/);
  });

  it('lists models and answers unknown paths with 404', async () => {
    const models = await (await fetch(`${server.url}/models`)).json();
    assert.deepEqual(models.data.map((m: { id: string }) => m.id), ['scripted-model']);
    const missing = await fetch(`${server.url}/completions`, { method: 'POST', body: '{}' });
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).error.code, 'unknown_url');
  });
});

describe('scripted chat server scripts', () => {
  it('passes each request and its index to a script function, and sends scripted HTTP errors', async () => {
    const seen: [string, number][] = [];
    const server = await startScriptedChatServer({
      script: (request, index) => {
        seen.push([request.body.messages[0].content, index]);
        return index === 0 ? { httpError: { status: 429, headers: { 'retry-after': '7' } } } : { text: 'ok' };
      },
    });
    try {
      const limited = await fetch(`${server.url}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'a' }] }) });
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '7');
      const { status } = await post(server.url, { model: 'm', stream: true, messages: [{ role: 'user', content: 'b' }] });
      assert.equal(status, 200);
      assert.deepEqual(seen, [['a', 0], ['b', 1]]);
      assert.equal(server.requests.length, 2);
    } finally {
      await server.close();
    }
  });

  it('closes promptly while a hanging response is still streaming', async () => {
    const server = await startScriptedChatServer({ script: [{ hang: true, chunkDelayMs: 10 }] });
    const response = await fetch(`${server.url}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', stream: true }) });
    const reader = response.body!.getReader();
    await reader.read();
    const started = performance.now();
    await server.close();
    assert.ok(performance.now() - started < 500);
    assert.ok(server.requests[0]!.disconnectedAt !== undefined, 'the cut-off response is recorded as a disconnect');
    await reader.cancel().catch(() => undefined);
  });
});
