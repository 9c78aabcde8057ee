import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChatStreamDecoder, type DecodedEvent } from '../../../server/providers/openai-chat-stream';
import { ProviderError } from '../../../server/providers/types';

const chunk = (delta: object, finish: string | null = null) => JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] });

function decode(payloads: string[]) {
  const decoder = new ChatStreamDecoder();
  const events: DecodedEvent[] = payloads.flatMap((p) => decoder.accept(p));
  const end = decoder.finish();
  return { events: [...events, ...end.events], stopReason: end.stopReason };
}

describe('ChatStreamDecoder', () => {
  it('accepts reasoning under either field name, once per delta', () => {
    const { events } = decode([
      chunk({ reasoning_content: 'a' }),
      chunk({ reasoning: 'b' }),
      chunk({ reasoning_content: 'c', reasoning: 'c' }),
      chunk({ content: 'x' }, 'stop'),
      '[DONE]',
    ]);
    assert.deepEqual(events, [
      { type: 'thinking_delta', text: 'a' },
      { type: 'thinking_delta', text: 'b' },
      { type: 'thinking_delta', text: 'c' },
      { type: 'text_delta', text: 'x' },
    ]);
  });

  it('assembles tool calls without index or id, and reports tool_use despite finish_reason stop', () => {
    const { events, stopReason } = decode([
      chunk({ tool_calls: [{ function: { name: 'a', arguments: '{"x":' } }, { function: { name: 'b' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }, 'stop'),
      '[DONE]',
    ]);
    assert.equal(stopReason, 'tool_use');
    assert.equal(events.length, 2);
    const [first, second] = events as Extract<DecodedEvent, { type: 'tool_call' }>[];
    assert.equal(first?.call.name, 'a');
    assert.equal(first?.call.argumentsJson, '{"x":1}');
    assert.match(first?.call.id ?? '', /^call_[0-9a-f]{24}$/);
    assert.equal(second?.call.argumentsJson, '{}');
    assert.notEqual(first?.call.id, second?.call.id);
  });

  it('keeps the latest usage and emits it once at the end', () => {
    const usage = (n: number) => ({ prompt_tokens: n, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 2 } });
    const { events } = decode([
      JSON.stringify({ choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null }], usage: usage(5) }),
      JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'length' }], usage: null }),
      JSON.stringify({ choices: [], usage: usage(9) }),
      '[DONE]',
    ]);
    assert.deepEqual(events.at(-1), { type: 'usage', usage: { inputTokens: 9, cachedInputTokens: 2, outputTokens: 1 } });
    assert.equal(events.filter((e) => e.type === 'usage').length, 1);
  });

  it('maps finish reasons and a streamed refusal', () => {
    assert.equal(decode([chunk({}, 'length')]).stopReason, 'max_tokens');
    assert.equal(decode([chunk({}, 'content_filter')]).stopReason, 'refusal');
    assert.equal(decode([chunk({}, 'tool_calls')]).stopReason, 'tool_use');
    assert.equal(decode(['[DONE]']).stopReason, 'end_turn');
    const refused = decode([chunk({ refusal: 'I cannot help.' }), chunk({}, 'stop')]);
    assert.equal(refused.stopReason, 'refusal');
    assert.deepEqual(refused.events, [{ type: 'text_delta', text: 'I cannot help.' }]);
  });

  it('ignores choices other than the first', () => {
    const other = JSON.stringify({ choices: [{ index: 1, delta: { content: 'other' }, finish_reason: null }] });
    assert.deepEqual(decode([other, chunk({ content: 'mine' }, 'stop')]).events, [{ type: 'text_delta', text: 'mine' }]);
  });

  it('turns in-stream errors into ProviderErrors', () => {
    const decoder = new ChatStreamDecoder();
    assert.throws(
      () => decoder.accept(JSON.stringify({ error: { message: 'context too long', type: 'invalid_request_error' } })),
      (e: unknown) => e instanceof ProviderError && e.code === 'bad_request' && e.message.includes('context too long'),
    );
    assert.throws(
      () => decoder.accept(JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } })),
      (e: unknown) => e instanceof ProviderError && e.code === 'server' && e.message.includes('overloaded'),
    );
    assert.throws(() => decoder.accept('{not json'), (e: unknown) => e instanceof ProviderError && e.code === 'protocol');
  });

  it('rejects a stream cut short and a tool call without a name', () => {
    assert.throws(() => decode([chunk({ content: 'partial' })]), (e: unknown) => e instanceof ProviderError && e.code === 'network');
    assert.throws(
      () => decode([chunk({ tool_calls: [{ index: 0, function: { arguments: '{}' } }] }, 'tool_calls')]),
      (e: unknown) => e instanceof ProviderError && e.code === 'protocol',
    );
  });
});
