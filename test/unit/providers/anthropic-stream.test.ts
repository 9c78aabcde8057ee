import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readProviderData } from '../../../server/providers/anthropic-content';
import { AnthropicStreamDecoder, type DecodedEvent } from '../../../server/providers/anthropic-stream';
import { ProviderError } from '../../../server/providers/types';

type Wire = Record<string, unknown>;

function feed(decoder: AnthropicStreamDecoder, events: Wire[]): DecodedEvent[] {
  return events.flatMap((event) => decoder.accept(event.type as string, JSON.stringify(event)));
}

const start = (usage: Wire = { input_tokens: 10, cache_creation_input_tokens: 200, cache_read_input_tokens: 3000, output_tokens: 1 }): Wire => ({
  type: 'message_start',
  message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], usage },
});
const blockStart = (index: number, content_block: Wire): Wire => ({ type: 'content_block_start', index, content_block });
const delta = (index: number, d: Wire): Wire => ({ type: 'content_block_delta', index, delta: d });
const stop = (index: number): Wire => ({ type: 'content_block_stop', index });
const end = (stop_reason: string, output_tokens = 42): Wire[] => [
  { type: 'message_delta', delta: { stop_reason, stop_sequence: null }, usage: { output_tokens } },
  { type: 'message_stop' },
];

describe('anthropic stream decoder', () => {
  it('streams thinking and text, keeps the signature, and sums the input usage', () => {
    const decoder = new AnthropicStreamDecoder();
    const events = feed(decoder, [
      start(),
      { type: 'ping' },
      blockStart(0, { type: 'redacted_thinking', data: 'ENCRYPTED' }),
      stop(0),
      blockStart(1, { type: 'thinking', thinking: '', signature: '' }),
      delta(1, { type: 'thinking_delta', thinking: 'Let me ' }),
      delta(1, { type: 'thinking_delta', thinking: 'think.' }),
      delta(1, { type: 'signature_delta', signature: 'EqQBCkgIARAB' }),
      stop(1),
      blockStart(2, { type: 'text', text: '' }),
      delta(2, { type: 'text_delta', text: 'Hello, ' }),
      delta(2, { type: 'text_delta', text: 'wörld' }),
      stop(2),
      ...end('end_turn'),
    ]);
    assert.deepEqual(events, [
      { type: 'thinking_delta', text: 'Let me ' },
      { type: 'thinking_delta', text: 'think.' },
      { type: 'text_delta', text: 'Hello, ' },
      { type: 'text_delta', text: 'wörld' },
    ]);
    const { events: final, stopReason } = decoder.finish();
    assert.equal(stopReason, 'end_turn');
    assert.deepEqual(readProviderData((final[0] as Extract<DecodedEvent, { type: 'provider_data' }>).data), [
      { type: 'redacted_thinking', data: 'ENCRYPTED' },
      { type: 'thinking', thinking: 'Let me think.', signature: 'EqQBCkgIARAB' },
      { type: 'text', text: 'Hello, wörld' },
    ]);
    assert.deepEqual(final[1], { type: 'usage', usage: { inputTokens: 3210, cachedInputTokens: 3000, outputTokens: 42 } });
  });

  it('emits a tool call when its block stops, from input JSON in pieces', () => {
    const decoder = new AnthropicStreamDecoder();
    const pieces = ['', '{"path": "sr', 'c/a.ts", "n', 'ote": "ünï"}'];
    const during = feed(decoder, [
      start(),
      blockStart(0, { type: 'tool_use', id: 'toolu_A', name: 'read_file', input: {} }),
      ...pieces.map((partial_json) => delta(0, { type: 'input_json_delta', partial_json })),
    ]);
    assert.deepEqual(during, [], 'nothing before the block completes');
    const done = feed(decoder, [
      stop(0),
      blockStart(1, { type: 'tool_use', id: 'toolu_B', name: 'list_dir', input: {} }),
      stop(1),
      ...end('tool_use'),
    ]);
    assert.deepEqual(done, [
      { type: 'tool_call', call: { id: 'toolu_A', name: 'read_file', argumentsJson: pieces.join('') } },
      { type: 'tool_call', call: { id: 'toolu_B', name: 'list_dir', argumentsJson: '{}' } },
    ]);
    const { events, stopReason } = decoder.finish();
    assert.equal(stopReason, 'tool_use');
    const blocks = readProviderData((events[0] as Extract<DecodedEvent, { type: 'provider_data' }>).data);
    assert.deepEqual(blocks?.[0], { type: 'tool_use', id: 'toolu_A', name: 'read_file', input: { path: 'src/a.ts', note: 'ünï' } });
  });

  it('maps every stop reason', () => {
    const cases: Record<string, string> = {
      end_turn: 'end_turn',
      stop_sequence: 'end_turn',
      pause_turn: 'end_turn',
      tool_use: 'tool_use',
      max_tokens: 'max_tokens',
      model_context_window_exceeded: 'max_tokens',
      refusal: 'refusal',
    };
    for (const [wire, expected] of Object.entries(cases)) {
      const decoder = new AnthropicStreamDecoder();
      feed(decoder, [start(), ...end(wire)]);
      assert.equal(decoder.finish().stopReason, expected, wire);
    }
  });

  it('takes the totals a newer message_delta repeats', () => {
    const decoder = new AnthropicStreamDecoder();
    feed(decoder, [
      start({ input_tokens: 5, output_tokens: 1 }),
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { input_tokens: 7, cache_read_input_tokens: 100, output_tokens: 9 } },
      { type: 'message_stop' },
    ]);
    assert.deepEqual(decoder.finish().events[1], { type: 'usage', usage: { inputTokens: 107, cachedInputTokens: 100, outputTokens: 9 } });
  });

  it('keeps no thinking block whose signature never came', () => {
    const decoder = new AnthropicStreamDecoder();
    const events = feed(decoder, [
      start(),
      blockStart(0, { type: 'thinking', thinking: '', signature: '' }),
      delta(0, { type: 'thinking_delta', thinking: 'unsigned' }),
      stop(0),
      blockStart(1, { type: 'text', text: '' }),
      delta(1, { type: 'text_delta', text: 'answer' }),
      stop(1),
      ...end('end_turn'),
    ]);
    assert.deepEqual(events.map((e) => e.type), ['thinking_delta', 'text_delta']);
    assert.deepEqual(readProviderData((decoder.finish().events[0] as { data: unknown }).data), [{ type: 'text', text: 'answer' }]);
  });

  it('skips block types it does not use and never replays them', () => {
    const decoder = new AnthropicStreamDecoder();
    const events = feed(decoder, [
      start(),
      blockStart(0, { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }),
      delta(0, { type: 'input_json_delta', partial_json: '{"q":1}' }),
      stop(0),
      blockStart(1, { type: 'text', text: 'ok' }),
      delta(1, { type: 'citations_delta', citation: {} }),
      stop(1),
      { type: 'some_future_event' },
      ...end('end_turn'),
    ]);
    assert.deepEqual(events, [{ type: 'text_delta', text: 'ok' }]);
    assert.deepEqual(readProviderData((decoder.finish().events[0] as { data: unknown }).data), [{ type: 'text', text: 'ok' }]);
  });

  it('maps error events to typed errors and refuses a truncated stream', () => {
    const cases: [string, ProviderError['code']][] = [
      ['overloaded_error', 'server'],
      ['rate_limit_error', 'rate_limited'],
      ['invalid_request_error', 'bad_request'],
      ['authentication_error', 'auth'],
      ['mystery_error', 'server'],
    ];
    for (const [type, code] of cases) {
      const error = (() => {
        try {
          feed(new AnthropicStreamDecoder(), [start(), { type: 'error', error: { type, message: 'Overloaded' } }]);
        } catch (caught) {
          return caught;
        }
      })();
      assert.ok(error instanceof ProviderError && error.code === code, `${type} → ${String(error)}`);
      assert.match(error.message, new RegExp(`${type}.*Overloaded`));
    }
    const truncated = new AnthropicStreamDecoder();
    feed(truncated, [start(), blockStart(0, { type: 'text', text: '' }), delta(0, { type: 'text_delta', text: 'cut' })]);
    assert.throws(() => truncated.finish(), (e: unknown) => e instanceof ProviderError && e.code === 'network');
    assert.throws(() => new AnthropicStreamDecoder().accept(undefined, '{oops'), (e: unknown) => e instanceof ProviderError && e.code === 'protocol');
    assert.throws(() => feed(new AnthropicStreamDecoder(), [delta(3, { type: 'text_delta', text: 'x' })]), /never started/);
  });
});
