import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startScriptedAnthropicServer, type AnthropicScriptedResponse, type ScriptedAnthropicServer } from '../../../server/demo/scripted-anthropic-server';
import type { HistoryItem } from '../../../server/loop/items';
import { createAnthropicProvider, type AnthropicOptions } from '../../../server/providers/anthropic';
import { ProviderError, type ModelEvent, type ModelRequest } from '../../../server/providers/types';
import { API_KEY, collect, failure, request, textOf } from './helpers';

type Done = Extract<ModelEvent, { type: 'done' }>;

/** The assistant item the agent loop would record from these events. */
function assistantItem(events: ModelEvent[]): Extract<HistoryItem, { type: 'assistant' }> {
  const item: Extract<HistoryItem, { type: 'assistant' }> = { type: 'assistant', text: textOf(events), toolCalls: [] };
  const thinking = textOf(events, 'thinking_delta');
  if (thinking) item.thinking = thinking;
  for (const event of events) {
    if (event.type === 'tool_call') item.toolCalls.push(event.call);
    if (event.type === 'provider_data') item.providerData = event.data;
  }
  return item;
}

const usageOf = (events: ModelEvent[]) => events.find((e): e is Extract<ModelEvent, { type: 'usage' }> => e.type === 'usage')?.usage;

describe('anthropic provider against the scripted server', () => {
  let server: ScriptedAnthropicServer;
  const queue: AnthropicScriptedResponse[] = [];
  before(async () => {
    server = await startScriptedAnthropicServer({ apiKey: API_KEY, script: () => queue.shift() ?? { text: 'default' } });
  });
  after(() => server.close());
  const provider = (options: Partial<AnthropicOptions> = {}) =>
    createAnthropicProvider({ baseUrl: server.url, apiKey: API_KEY, models: ['scripted-model'], retryBaseMs: 5, ...options });

  it('streams text in pieces, then provider data, usage and done with sane metrics', async () => {
    const text = 'Hello, wörld 🎉 — here is a longer answer split in many pieces.';
    queue.push({ text, chunkChars: 3 });
    const before = server.requests.length;
    const events = await collect(provider());
    const recorded = server.requests[before]!;
    assert.equal(textOf(events), text);
    assert.ok(events.filter((e) => e.type === 'text_delta').length > 10, 'text arrived in pieces');
    assert.deepEqual(events.slice(-3).map((e) => e.type), ['provider_data', 'usage', 'done']);
    const done = events.at(-1) as Done;
    assert.equal(done.stopReason, 'end_turn');
    assert.equal(done.metrics.bytesSent, recorded.bytes);
    assert.equal(done.metrics.fullRequestBytes, recorded.bytes);
    assert.equal(done.metrics.bytesReceived, recorded.responseBytes);
    assert.ok(done.metrics.ttfbMs >= 0 && done.metrics.ttfbMs <= done.metrics.totalMs);
    assert.equal(recorded.headers['x-api-key'], API_KEY);
    assert.equal(recorded.headers['anthropic-version'], '2023-06-01');
    assert.equal(recorded.headers.authorization, undefined);
    assert.equal(recorded.body.stream, true);
    assert.equal(recorded.body.max_tokens, 8192);
  });

  it('assembles tool calls whose input JSON arrives in pieces', async () => {
    const first = { path: 'src/a.ts', note: 'ünïcode and "quotes"' };
    const second = { pattern: 'TODO', paths: ['a', 'b', 'c'], limit: 20 };
    queue.push({
      text: 'Reading both.',
      toolCalls: [
        { id: 'toolu_A', name: 'read_file', input: first },
        { id: 'toolu_B', name: 'grep', input: second },
        { name: 'list_dir', input: {} },
      ],
      chunkChars: 5,
    });
    const events = await collect(provider());
    const calls = events.flatMap((e) => (e.type === 'tool_call' ? [e.call] : []));
    assert.deepEqual(calls.slice(0, 2), [
      { id: 'toolu_A', name: 'read_file', argumentsJson: JSON.stringify(first) },
      { id: 'toolu_B', name: 'grep', argumentsJson: JSON.stringify(second) },
    ]);
    assert.equal(calls[2]?.argumentsJson, '{}');
    assert.match(calls[2]?.id ?? '', /^toolu_scripted_/);
    assert.equal((events.at(-1) as Done).stopReason, 'tool_use');
  });

  it('replays signed thinking intact across a tool call and the requests after it', async () => {
    const thinking = provider({ thinking: { type: 'adaptive' } });
    const items: HistoryItem[] = [{ type: 'user', parts: [{ type: 'text', text: 'What does a.ts say?' }] }];
    queue.push({ redactedThinking: true, thinking: 'I should read a.ts first — ünïcode.', text: 'Reading.', toolCalls: [{ id: 'toolu_R', name: 'read_file', input: { path: 'a.ts' } }] });
    const first = await collect(thinking, request({ items }));
    const reply = assistantItem(first);
    assert.equal(reply.thinking, 'I should read a.ts first — ünïcode.');
    items.push(reply, { type: 'tool_result', callId: 'toolu_R', name: 'read_file', output: 'export const a = 1;', isError: false });

    queue.push({ thinking: 'It exports a constant.', text: 'It exports a = 1.' });
    const before = server.requests.length;
    const second = await collect(thinking, request({ items }));
    const sent = server.requests[before]!;
    assert.equal(sent.rejected, undefined);
    assert.deepEqual(sent.body.thinking, { type: 'adaptive' });
    const replayed = sent.body.messages[1].content;
    assert.deepEqual(replayed.map((b: { type: string }) => b.type), ['redacted_thinking', 'thinking', 'text', 'tool_use']);
    assert.ok(replayed[1].signature.length > 20);
    assert.deepEqual(replayed, (reply.providerData as { content: unknown }).content, 'the blocks went back byte for byte');
    assert.equal(textOf(second), 'It exports a = 1.');

    // A third call carries both signed replies; the server verifies every signature.
    items.push(assistantItem(second), { type: 'user', parts: [{ type: 'text', text: 'thanks' }] });
    queue.push({ text: 'You are welcome.' });
    assert.equal(textOf(await collect(thinking, request({ items }))), 'You are welcome.');
  });

  it('fails with the server message when a signature was altered, as the real API does', async () => {
    const items: HistoryItem[] = [{ type: 'user', parts: [{ type: 'text', text: 'hi' }] }];
    queue.push({ thinking: 'Original thought.', text: 'Hello.' });
    const reply = assistantItem(await collect(provider(), request({ items })));
    const data = structuredClone(reply.providerData) as { content: { type: string; thinking?: string }[] };
    data.content[0]!.thinking = 'Edited thought.';
    items.push({ ...reply, providerData: data }, { type: 'user', parts: [{ type: 'text', text: 'again' }] });
    const error = await failure(provider(), request({ items }));
    assert.ok(error instanceof ProviderError && error.code === 'bad_request', String(error));
    assert.match(error.message, /Invalid `signature` in `thinking` block/);
  });

  it('places cache breakpoints on the stable prefix and the tail, and reports cache reads on the next call', async () => {
    const req: ModelRequest = request({ instructions: 'You are a careful coding agent. '.repeat(200) });
    queue.push({ text: 'First answer.' });
    const before = server.requests.length;
    const firstEvents = await collect(provider(), req);
    const first = server.requests[before]!;
    assert.equal(first.body.system[0].cache_control.type, 'ephemeral');
    assert.equal(first.body.messages[0].content.at(-1).cache_control.type, 'ephemeral');
    assert.equal(first.body.tools[0].cache_control, undefined, 'the system block already covers the tools before it');
    assert.equal(usageOf(firstEvents)?.cachedInputTokens, 0);
    assert.ok(first.usage!.cache_creation_input_tokens > 1000);

    req.items = [...req.items, assistantItem(firstEvents), { type: 'user', parts: [{ type: 'text', text: 'And then?' }] }];
    queue.push({ text: 'Second answer.' });
    const secondEvents = await collect(provider(), req);
    const second = server.requests[before + 1]!;
    const usage = usageOf(secondEvents)!;
    assert.equal(usage.cachedInputTokens, second.usage!.cache_read_input_tokens);
    assert.equal(usage.cachedInputTokens, first.usage!.cache_creation_input_tokens, 'all the first call wrote is read back');
    assert.equal(usage.inputTokens, second.usage!.input_tokens + second.usage!.cache_creation_input_tokens + usage.cachedInputTokens);
    assert.ok(countBreakpoints(second.body) <= 4);
  });

  it('still reads the cache after a turn with more new blocks than the API looks back over', async () => {
    const calls = Array.from({ length: 15 }, (_, i) => ({ id: `toolu_p${i}`, name: 'read_file', input: { path: `f${i}.ts` } }));
    queue.push({ toolCalls: calls });
    const items: HistoryItem[] = [{ type: 'user', parts: [{ type: 'text', text: 'Read fifteen files. '.repeat(100) }] }];
    const before = server.requests.length;
    const first = await collect(provider(), request({ items }));
    items.push(assistantItem(first), ...calls.map((c): HistoryItem => ({ type: 'tool_result', callId: c.id, name: 'read_file', output: `contents of ${c.input.path}`, isError: false })));
    queue.push({ text: 'Read them all.' });
    await collect(provider(), request({ items }));
    const [written, read] = [server.requests[before]!.usage!, server.requests[before + 1]!.usage!];
    // 30 new blocks lie between the two tails; only the breakpoint on the previous user turn finds the old prefix.
    assert.ok(written.cache_creation_input_tokens > 0);
    assert.equal(read.cache_read_input_tokens, written.cache_read_input_tokens + written.cache_creation_input_tokens);
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function countBreakpoints(body: any): number {
  const blocks = [...(body.tools ?? []), ...(body.system ?? []), ...body.messages.flatMap((m: { content: unknown[] }) => m.content)];
  return blocks.filter((b: { cache_control?: unknown }) => b.cache_control).length;
}
