import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HistoryItem } from '../../../server/loop/items';
import { buildChatRequestBody } from '../../../server/providers/openai-chat-request';
import type { ModelRequest } from '../../../server/providers/types';

const ITEMS: HistoryItem[] = [
  {
    type: 'user',
    parts: [
      { type: 'text', text: 'Look at this' },
      { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
      { type: 'resource', uri: 'file:///w/a.ts', text: 'export const a = 1;', mimeType: 'text/x-typescript' },
    ],
  },
  {
    type: 'assistant',
    text: '',
    thinking: 'private reasoning',
    toolCalls: [
      { id: 'call_1', name: 'read_file', argumentsJson: '{"path":"a.ts"}' },
      { id: 'call_2', name: 'list', argumentsJson: '{}' },
    ],
  },
  { type: 'tool_result', callId: 'call_1', name: 'read_file', output: 'export const a = 1;', isError: false },
  { type: 'tool_result', callId: 'call_2', name: 'list', output: 'no such directory', isError: true },
  { type: 'assistant', text: 'Done.', toolCalls: [] },
  { type: 'user', parts: [{ type: 'text', text: 'thanks' }] },
];

const REQUEST: ModelRequest = {
  model: 'gpt-test',
  instructions: 'You are Tether.',
  tools: [{ name: 'read_file', description: 'Reads a file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }],
  items: ITEMS,
  maxOutputTokens: 1000,
};

describe('buildChatRequestBody', () => {
  it('maps history items to chat messages', () => {
    const body = JSON.parse(buildChatRequestBody(REQUEST));
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'You are Tether.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look at this' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'text', text: '<file uri="file:///w/a.ts">\nexport const a = 1;\n</file>' },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } },
          { id: 'call_2', type: 'function', function: { name: 'list', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'export const a = 1;' },
      { role: 'tool', tool_call_id: 'call_2', content: 'Error: no such directory' },
      { role: 'assistant', content: 'Done.' },
      { role: 'user', content: 'thanks' },
    ]);
  });

  it('sends tools, streaming options and max_tokens', () => {
    const body = JSON.parse(buildChatRequestBody(REQUEST));
    assert.equal(body.model, 'gpt-test');
    assert.deepEqual(body.tools, [{ type: 'function', function: REQUEST.tools[0] }]);
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(body.max_tokens, 1000);
  });

  it('omits empty tools and an unset token limit', () => {
    const body = JSON.parse(buildChatRequestBody({ ...REQUEST, tools: [], maxOutputTokens: undefined }));
    assert.equal('tools' in body, false);
    assert.equal('max_tokens' in body, false);
  });

  it('is byte-identical for equal input, however it was constructed', () => {
    const first = buildChatRequestBody(REQUEST);
    const copy = structuredClone(REQUEST);
    assert.equal(buildChatRequestBody(copy), first);
    // Key order of the caller's request object must not leak into the body.
    const reordered: ModelRequest = {
      maxOutputTokens: 1000,
      items: copy.items,
      tools: copy.tools,
      instructions: copy.instructions,
      model: copy.model,
    };
    assert.equal(buildChatRequestBody(reordered), first);
  });
});
