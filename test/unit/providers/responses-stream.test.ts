import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResponsesApiError, ResponsesStreamDecoder, type DecodedEvent } from '../../../server/providers/openai-responses-stream';
import { ProviderError } from '../../../server/providers/types';

function feed(decoder: ResponsesStreamDecoder, events: object[]): DecodedEvent[] {
  return events.flatMap((event) => decoder.accept(JSON.stringify(event)));
}

const CALL = { type: 'function_call', id: 'fc_1', status: 'completed', call_id: 'call_1', name: 'read_file', arguments: '{"path":"a"}' };
const REASONING = { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'ab' }], encrypted_content: 'enc' };
const USAGE = { input_tokens: 100, input_tokens_details: { cached_tokens: 80 }, output_tokens: 7 };

describe('openai-responses stream decoding', () => {
  it('turns deltas, items and the sparse completed event into model events', () => {
    const decoder = new ResponsesStreamDecoder();
    const live = feed(decoder, [
      { type: 'response.created', response: { id: 'resp_1', output: [] } },
      { type: 'response.reasoning_summary_text.delta', output_index: 0, summary_index: 0, delta: 'a' },
      { type: 'response.reasoning_summary_text.delta', output_index: 0, summary_index: 1, delta: 'b' },
      { type: 'response.output_item.done', output_index: 0, item: REASONING },
      { type: 'response.output_text.delta', delta: 'Hi' },
      { type: 'response.function_call_arguments.delta', delta: '{"pa' },
      { type: 'response.output_item.done', output_index: 1, item: CALL },
      { type: 'response.some_future_event', whatever: true },
      // Over the socket the terminal event may list no output at all.
      { type: 'response.completed', response: { id: 'resp_1', output: [], usage: USAGE } },
    ]);
    assert.deepEqual(live, [
      { type: 'thinking_delta', text: 'a' },
      { type: 'thinking_delta', text: '\n\nb' },
      { type: 'text_delta', text: 'Hi' },
      { type: 'tool_call', call: { id: 'call_1', name: 'read_file', argumentsJson: '{"path":"a"}' } },
    ]);
    assert.equal(decoder.responseId, 'resp_1');
    assert.equal(decoder.status, 'completed');
    const { events, stopReason } = decoder.finish();
    assert.equal(stopReason, 'tool_use');
    assert.deepEqual(events, [
      { type: 'usage', usage: { inputTokens: 100, cachedInputTokens: 80, outputTokens: 7 } },
      { type: 'provider_data', data: { kind: 'openai-responses', output: [REASONING, CALL] } },
    ]);
    assert.deepEqual(decoder.replayJson(), [
      JSON.stringify({ type: 'reasoning', summary: REASONING.summary, encrypted_content: 'enc' }),
      JSON.stringify({ type: 'function_call', call_id: 'call_1', name: 'read_file', arguments: '{"path":"a"}' }),
    ]);
  });

  it('takes the output from response.completed when no output_item.done came, without repeating a call', () => {
    const decoder = new ResponsesStreamDecoder();
    const events = feed(decoder, [{ type: 'response.completed', response: { id: 'r', output: [CALL, { ...CALL }], usage: USAGE } }]);
    assert.deepEqual(events, [{ type: 'tool_call', call: { id: 'call_1', name: 'read_file', argumentsJson: '{"path":"a"}' } }]);
  });

  it('maps incomplete responses and refusals to stop reasons', () => {
    const cut = new ResponsesStreamDecoder();
    feed(cut, [{ type: 'response.incomplete', response: { id: 'r', incomplete_details: { reason: 'max_output_tokens' } } }]);
    assert.equal(cut.status, 'incomplete');
    assert.equal(cut.finish().stopReason, 'max_tokens');
    const refused = new ResponsesStreamDecoder();
    const events = feed(refused, [{ type: 'response.refusal.delta', delta: 'No.' }, { type: 'response.completed', response: { id: 'r' } }]);
    assert.deepEqual(events, [{ type: 'text_delta', text: 'No.' }]);
    assert.equal(refused.finish().stopReason, 'refusal');
  });

  it('throws typed errors for failed responses and error events in both shapes', () => {
    const cases: [object, ProviderError['code'], string | undefined][] = [
      [{ type: 'response.failed', response: { id: 'r', error: { code: 'server_error', message: 'boom' } } }, 'server', 'server_error'],
      [{ type: 'response.failed', response: { id: 'r', error: { code: 'invalid_prompt', message: 'no' } } }, 'bad_request', 'invalid_prompt'],
      [{ type: 'error', code: 'rate_limit_exceeded', message: 'slow down' }, 'rate_limited', 'rate_limit_exceeded'],
      [{ type: 'error', status: 400, error: { type: 'invalid_request_error', code: 'previous_response_not_found', message: 'gone' } }, 'bad_request', 'previous_response_not_found'],
      [{ type: 'error', status: 400, error: { code: 'websocket_connection_limit_reached', message: 'old' } }, 'network', 'websocket_connection_limit_reached'],
      [{ type: 'error', status: 401, error: { message: 'who are you' } }, 'auth', undefined],
      [{ type: 'error', status: 503, error: { message: 'busy' } }, 'server', undefined],
    ];
    for (const [event, code, apiCode] of cases) {
      const error = (() => {
        try {
          new ResponsesStreamDecoder().accept(JSON.stringify(event));
        } catch (caught) {
          return caught;
        }
      })();
      assert.ok(error instanceof ResponsesApiError, JSON.stringify(event));
      assert.equal(error.code, code, JSON.stringify(event));
      assert.equal(error.apiCode, apiCode);
    }
  });

  it('rejects malformed events and a stream that ends before its terminal event', () => {
    assert.throws(() => new ResponsesStreamDecoder().accept('{not json'), (e: unknown) => e instanceof ProviderError && e.code === 'protocol');
    const decoder = new ResponsesStreamDecoder();
    feed(decoder, [{ type: 'response.output_text.delta', delta: 'partial' }]);
    assert.throws(() => decoder.finish(), (e: unknown) => e instanceof ProviderError && e.code === 'network');
    const nameless = new ResponsesStreamDecoder();
    assert.throws(() => feed(nameless, [{ type: 'response.output_item.done', output_index: 0, item: { type: 'function_call', call_id: 'c' } }]), /without a call id or name/);
  });
});
