// The scripted Anthropic server must behave like the real API where the provider's tests
// rely on it: wire framing, signature checks, request validation and the prompt cache.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startScriptedAnthropicServer, type AnthropicScriptedResponse, type ScriptedAnthropicServer } from '../../../server/demo/scripted-anthropic-server';
import { SseParser } from '../../../server/providers/sse';

const HEADERS = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' };
const user = (text: string, extra: Record<string, unknown> = {}) => ({ role: 'user', content: [{ type: 'text', text, ...extra }] });

describe('scripted anthropic server', () => {
  let server: ScriptedAnthropicServer;
  const queue: AnthropicScriptedResponse[] = [];
  before(async () => {
    server = await startScriptedAnthropicServer({ script: () => queue.shift() ?? { text: 'default' } });
  });
  after(() => server.close());

  async function post(body: Record<string, unknown>, headers: Record<string, string> = HEADERS) {
    const response = await fetch(`${server.url}/v1/messages`, { method: 'POST', headers, body: JSON.stringify({ model: 'm', max_tokens: 100, stream: true, ...body }) });
    const text = await response.text();
    return { status: response.status, text, events: new SseParser().push(new TextEncoder().encode(text)) };
  }

  /** One scripted reply with thinking; returns its assistant content blocks as the API would want them back. */
  async function thinkingReply() {
    queue.push({ thinking: 'Deep thought.', text: 'Answer.', toolCalls: [{ id: 'toolu_1', name: 'f', input: { a: 1 } }] });
    const { events } = await post({ messages: [user('q')] });
    const data = events.map((e) => JSON.parse(e.data));
    const signature = data.find((d) => d.delta?.type === 'signature_delta').delta.signature as string;
    return [
      { type: 'thinking', thinking: 'Deep thought.', signature },
      { type: 'text', text: 'Answer.' },
      { type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: 1 } },
    ];
  }
  const followUp = (assistant: unknown[]) => ({
    messages: [user('q'), { role: 'assistant', content: assistant }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] }],
  });

  it('frames every event as an event/data pair whose names match, in the documented order', async () => {
    queue.push({ thinking: 'hm', text: 'hi', toolCalls: [{ name: 'f', input: { a: 1 } }] });
    const { status, events } = await post({ messages: [user('q')] });
    assert.equal(status, 200);
    for (const event of events) assert.equal(JSON.parse(event.data).type, event.event);
    const names = events.map((e) => e.event).filter((n, i, all) => n !== all[i - 1]);
    assert.deepEqual(names, [
      'message_start', 'ping',
      'content_block_start', 'content_block_delta', 'content_block_stop', // thinking, its text then signature
      'content_block_start', 'content_block_delta', 'content_block_stop', // text
      'content_block_start', 'content_block_delta', 'content_block_stop', // tool_use
      'message_delta', 'message_stop',
    ]);
    const usage = JSON.parse(events[0]!.data).message.usage;
    assert.deepEqual(Object.keys(usage).sort(), ['cache_creation_input_tokens', 'cache_read_input_tokens', 'input_tokens', 'output_tokens']);
    assert.equal(JSON.parse(events.at(-2)!.data).delta.stop_reason, 'tool_use');
  });

  it('accepts thinking sent back intact and rejects it altered, unsigned or missing its tool_result', async () => {
    const blocks = await thinkingReply();
    queue.push({ text: 'ok' });
    assert.equal((await post(followUp(blocks))).status, 200);
    const altered = [{ ...blocks[0], thinking: 'Deeper thought.' }, ...blocks.slice(1)];
    const unsigned = [{ type: 'thinking', thinking: 'Deep thought.' }, ...blocks.slice(1)];
    const forged = [{ type: 'redacted_thinking', data: 'Zm9yZ2Vk.bm9wZQ==' }, ...blocks];
    for (const [content, message] of [
      [altered, 'Invalid `signature` in `thinking` block'],
      [unsigned, 'messages.1.content.0.thinking.signature: Field required'],
      [forged, 'Invalid `data` in `redacted_thinking` block'],
    ] as const) {
      const answer = await post(followUp([...content]));
      assert.equal(answer.status, 400, message);
      assert.ok(answer.text.includes(message), answer.text);
    }
    const unanswered = await post({ messages: [user('q'), { role: 'assistant', content: blocks }, user('never mind')] });
    assert.equal(unanswered.status, 400);
    assert.match(unanswered.text, /tool_use` ids were found without `tool_result` blocks immediately after: toolu_1/);
  });

  it('rejects a fifth cache breakpoint, empty text and a missing version header', async () => {
    const cc = { cache_control: { type: 'ephemeral' } };
    const five = { system: [{ type: 'text', text: 's', ...cc }], messages: [{ role: 'user', content: ['a', 'b', 'c', 'd'].map((text) => ({ type: 'text', text, ...cc })) }] };
    assert.match((await post(five)).text, /A maximum of 4 blocks with cache_control may be provided. Found 5./);
    assert.match((await post({ messages: [user('')] })).text, /text content blocks must be non-empty/);
    assert.equal((await post({ messages: [user('q')] }, { 'content-type': 'application/json' })).status, 400);
    assert.ok(server.requests.at(-2)!.rejected);
  });

  it('reads a cached prefix only within 20 blocks of a breakpoint', async () => {
    const cc = { cache_control: { type: 'ephemeral' } };
    const history = Array.from({ length: 30 }, (_, i) => ({ type: 'text', text: `lookback ${i} `.repeat(20) }));
    const withTail = (n: number) => ({ messages: [{ role: 'user', content: [...history.slice(0, n - 1), { ...history[n - 1], ...cc }] }] });
    queue.push({ text: '1' }, { text: '2' }, { text: '3' });
    await post(withTail(5));
    const written = server.requests.at(-1)!.usage!;
    assert.ok(written.cache_creation_input_tokens > 0 && written.cache_read_input_tokens === 0);
    await post(withTail(30));
    assert.equal(server.requests.at(-1)!.usage!.cache_read_input_tokens, 0, '25 blocks back: out of reach');
    await post(withTail(20));
    assert.equal(server.requests.at(-1)!.usage!.cache_read_input_tokens, written.cache_creation_input_tokens, '15 blocks back: found');
  });

  it('does not cache a prefix shorter than the minimum', async () => {
    const small = await startScriptedAnthropicServer({ script: () => ({ text: 'ok' }), minCacheableTokens: 1024 });
    try {
      const body = JSON.stringify({ model: 'm', max_tokens: 10, stream: true, messages: [user('short', { cache_control: { type: 'ephemeral' } })] });
      for (let i = 0; i < 2; i++) await (await fetch(`${small.url}/v1/messages`, { method: 'POST', headers: HEADERS, body })).text();
      assert.deepEqual(small.requests.map((r) => r.usage!.cache_read_input_tokens + r.usage!.cache_creation_input_tokens), [0, 0]);
    } finally {
      await small.close();
    }
  });
});
