import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { HistoryItem } from '../../../server/loop/items';
import { nextChain, planRequest } from '../../../server/providers/openai-responses-chain';
import { httpBody, isReasoningModel, requestParts, socketMessage, toInputItems } from '../../../server/providers/openai-responses-request';
import type { ModelRequest } from '../../../server/providers/types';

const STORED_OUTPUT = [
  { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'hmm' }], encrypted_content: 'gAAA' },
  { type: 'reasoning', id: 'rs_2', summary: [] },
  { type: 'function_call', id: 'fc_1', status: 'completed', call_id: 'call_1', name: 'read_file', arguments: '{"path":"a.ts"}' },
];

const ITEMS: HistoryItem[] = [
  {
    type: 'user',
    parts: [
      { type: 'text', text: 'Look at this' },
      { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
      { type: 'resource', uri: 'file:///w/a.ts', text: 'export const a = 1;' },
    ],
  },
  { type: 'assistant', text: '', thinking: 'hmm', toolCalls: [{ id: 'call_1', name: 'read_file', argumentsJson: '{"path":"a.ts"}' }], providerData: { kind: 'openai-responses', output: STORED_OUTPUT } },
  { type: 'tool_result', callId: 'call_1', name: 'read_file', output: 'no such file', isError: true },
  // From another provider (or none): rebuilt from text and tool calls.
  { type: 'assistant', text: 'Done.', toolCalls: [{ id: 'call_2', name: 'grep', argumentsJson: '{}' }], providerData: { signature: 'x' } },
];

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'gpt-5',
    instructions: 'Be useful.',
    tools: [{ name: 'read_file', description: 'Reads', parameters: { type: 'object', properties: { path: { type: 'string' } } } }],
    items: ITEMS,
    ...overrides,
  };
}

describe('openai-responses request building', () => {
  it('maps history items to Responses input items', () => {
    assert.deepEqual(toInputItems(ITEMS), [
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'Look at this' },
          { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'auto' },
          { type: 'input_text', text: '<file uri="file:///w/a.ts">\nexport const a = 1;\n</file>' },
        ],
      },
      // Stored output replayed without server ids; reasoning without encrypted content cannot be replayed.
      { type: 'reasoning', summary: [{ type: 'summary_text', text: 'hmm' }], encrypted_content: 'gAAA' },
      { type: 'function_call', call_id: 'call_1', name: 'read_file', arguments: '{"path":"a.ts"}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'Error: no such file' },
      { type: 'message', role: 'assistant', content: 'Done.' },
      { type: 'function_call', call_id: 'call_2', name: 'grep', arguments: '{}' },
    ]);
  });

  it('builds the HTTP body and the socket message from the same settings', () => {
    const parts = requestParts(request({ maxOutputTokens: 100 }), { encryptedReasoning: true });
    const http = JSON.parse(httpBody(parts));
    assert.deepEqual(Object.keys(http), ['model', 'instructions', 'tools', 'tool_choice', 'store', 'include', 'max_output_tokens', 'input', 'stream']);
    assert.deepEqual(http.tools, [
      { type: 'function', name: 'read_file', description: 'Reads', parameters: { type: 'object', properties: { path: { type: 'string' } } }, strict: false },
    ]);
    assert.equal(http.stream, true);
    assert.equal(http.store, false);
    assert.deepEqual(http.include, ['reasoning.encrypted_content']);
    const message = JSON.parse(socketMessage(parts, parts.input.slice(-1), 'resp_1'));
    assert.equal(Object.keys(message)[0], 'type');
    assert.equal(message.type, 'response.create');
    assert.equal(message.previous_response_id, 'resp_1');
    assert.equal('stream' in message, false);
    assert.deepEqual(message.input, parts.input.slice(-1));
    const { input: _i, stream: _s, ...settings } = http;
    assert.equal(JSON.stringify(settings), parts.settingsJson);
  });

  it('serializes equal requests to equal bytes', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.array(fc.string(), { maxLength: 5 }), (instructions, text, outputs) => {
        const items: HistoryItem[] = [{ type: 'user', parts: [{ type: 'text', text }] }];
        outputs.forEach((output, i) => items.push({ type: 'tool_result', callId: `c${i}`, name: 't', output, isError: false }));
        const a = requestParts(request({ instructions, items }), { encryptedReasoning: false });
        const b = requestParts(structuredClone(request({ instructions, items })), { encryptedReasoning: false });
        assert.equal(httpBody(a), httpBody(b));
      }),
    );
  });

  it('asks for encrypted reasoning only from reasoning models in auto mode', () => {
    for (const model of ['o4-mini', 'o3', 'gpt-5', 'gpt-5.1-codex', 'openai/gpt-5-mini']) assert.ok(isReasoningModel(model), model);
    for (const model of ['gpt-4.1-mini', 'gpt-4o', 'gpt-5-chat-latest', 'llama3']) assert.ok(!isReasoningModel(model), model);
  });
});

describe('openai-responses chain planning', () => {
  const user = (text: string): HistoryItem => ({ type: 'user', parts: [{ type: 'text', text }] });
  const first = requestParts(request({ items: [user('hi')] }), { encryptedReasoning: true });
  const output = [{ type: 'function_call', call_id: 'call_1', name: 'read_file', arguments: '{}' }];
  const chain = nextChain(first, output.map((item) => JSON.stringify(item)), 'resp_1');
  const assistant: HistoryItem = { type: 'assistant', text: '', toolCalls: [], providerData: { kind: 'openai-responses', output } };
  const result: HistoryItem = { type: 'tool_result', callId: 'call_1', name: 'read_file', output: 'x', isError: false };

  it('continues with only the new items when the history extends the last request and its output', () => {
    const parts = requestParts(request({ items: [user('hi'), assistant, result] }), { encryptedReasoning: true });
    assert.deepEqual(planRequest(chain, parts), { input: [{ type: 'function_call_output', call_id: 'call_1', output: 'x' }], previousResponseId: 'resp_1' });
  });

  it('sends everything when any setting changed, history diverged, or nothing is new', () => {
    const items = [user('hi'), assistant, result];
    const cases: ModelRequest[] = [
      request({ items, model: 'gpt-5-mini' }),
      request({ items, instructions: 'Be brief.' }),
      request({ items, tools: [] }),
      request({ items, maxOutputTokens: 10 }),
      request({ items: [user('hello'), assistant, result] }),
      request({ items: [user('hi'), { ...assistant, providerData: undefined, text: 'x' }, result] }),
      request({ items: [user('hi'), assistant] }),
    ];
    for (const changed of cases) {
      const parts = requestParts(changed, { encryptedReasoning: true });
      assert.deepEqual(planRequest(chain, parts), { input: parts.input }, JSON.stringify(changed).slice(0, 80));
    }
    const other = requestParts(request({ items }), { encryptedReasoning: false });
    assert.equal(planRequest(chain, other).previousResponseId, undefined, 'include changed');
    assert.equal(planRequest(undefined, other).previousResponseId, undefined, 'no chain');
  });
});
