import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HistoryItem } from '../../../server/loop/items';
import { providerDataOf, type AssistantBlock } from '../../../server/providers/anthropic-content';
import { MAX_CACHE_BREAKPOINTS, buildAnthropicMessages, buildAnthropicRequestBody, type AnthropicRequestOptions } from '../../../server/providers/anthropic-request';
import { request } from './helpers';

const OPTIONS: AnthropicRequestOptions = { defaultMaxTokens: 8192 };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const bodyOf = (items: HistoryItem[], options: AnthropicRequestOptions = OPTIONS, extra = {}): any => JSON.parse(buildAnthropicRequestBody(request({ items, ...extra }), options));

const signed: AssistantBlock[] = [
  { type: 'redacted_thinking', data: 'opaque==' },
  { type: 'thinking', thinking: 'I should read a.ts', signature: 'SIG-1' },
  { type: 'text', text: 'Reading.' },
  { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a.ts' } },
];

const toolTurn: HistoryItem[] = [
  { type: 'user', parts: [{ type: 'text', text: 'read a.ts and b.ts' }] },
  {
    type: 'assistant',
    text: 'Reading.',
    thinking: 'I should read a.ts',
    providerData: providerDataOf(signed),
    toolCalls: [{ id: 'toolu_1', name: 'read_file', argumentsJson: '{"path":"a.ts"}' }],
  },
  { type: 'tool_result', callId: 'toolu_1', name: 'read_file', output: 'hi', isError: false },
];

/** Every block carrying cache_control, as [where, block type]. */
function breakpoints(body: { system?: { cache_control?: unknown }[]; tools?: { cache_control?: unknown }[]; messages: { content: { type: string; cache_control?: unknown }[] }[] }) {
  const found: string[] = [];
  body.tools?.forEach((t, i) => t.cache_control && found.push(`tools.${i}`));
  body.system?.forEach((s, i) => s.cache_control && found.push(`system.${i}`));
  body.messages.forEach((m, i) => m.content.forEach((b, j) => b.cache_control && found.push(`messages.${i}.${j}:${b.type}`)));
  return found;
}

describe('anthropic request body', () => {
  it('has the required fields in a fixed order, with tools as input_schema', () => {
    const body = bodyOf(toolTurn.slice(0, 1));
    assert.deepEqual(Object.keys(body), ['model', 'max_tokens', 'system', 'tools', 'messages', 'stream']);
    assert.equal(body.max_tokens, 8192);
    assert.equal(body.stream, true);
    assert.equal(body.system[0].text, 'You are a test.');
    assert.deepEqual(body.tools[0], {
      name: 'read_file',
      description: 'Reads a file',
      input_schema: { type: 'object', properties: { path: { type: 'string' } } },
    });
    assert.equal(bodyOf(toolTurn.slice(0, 1), OPTIONS, { maxOutputTokens: 100 }).max_tokens, 100);
    const noTools = bodyOf(toolTurn.slice(0, 1), OPTIONS, { tools: [], instructions: '' });
    assert.deepEqual(Object.keys(noTools), ['model', 'max_tokens', 'messages', 'stream']);
  });

  it('keeps max_tokens above a thinking budget and passes the thinking mode', () => {
    const budget = bodyOf(toolTurn.slice(0, 1), { defaultMaxTokens: 4000, thinking: { type: 'enabled', budgetTokens: 10_000 } });
    assert.deepEqual(budget.thinking, { type: 'enabled', budget_tokens: 10_000 });
    assert.ok(budget.max_tokens > 10_000);
    assert.deepEqual(bodyOf(toolTurn.slice(0, 1), { defaultMaxTokens: 4000, thinking: { type: 'adaptive' } }).thinking, { type: 'adaptive' });
  });

  it('serializes the same history to the same bytes', () => {
    const a = buildAnthropicRequestBody(request({ items: toolTurn }), OPTIONS);
    const b = buildAnthropicRequestBody(request({ items: structuredClone(toolTurn) }), OPTIONS);
    assert.equal(a, b);
  });
});

describe('anthropic messages', () => {
  it('replays stored blocks verbatim: thinking first with its signature, then text, then tool_use', () => {
    const messages = buildAnthropicMessages(toolTurn);
    assert.deepEqual(messages[1], { role: 'assistant', content: signed });
    // The stored blocks are copies: later cache breakpoints must not write into history.
    bodyOf([...toolTurn, { type: 'user', parts: [{ type: 'text', text: 'next' }] }]);
    assert.deepEqual((toolTurn[1] as { providerData: { content: unknown } }).providerData.content, signed);
    assert.ok(!('cache_control' in signed[3]!));
  });

  it('rebuilds from text and tool calls when stored blocks disagree with the item, keeping signed thinking', () => {
    const edited = { ...toolTurn[1]!, toolCalls: [{ id: 'toolu_2', name: 'grep', argumentsJson: '{"pattern":"x"}' }] } as HistoryItem;
    const [, assistant] = buildAnthropicMessages([toolTurn[0]!, edited]);
    assert.deepEqual(assistant!.content, [
      signed[0],
      signed[1],
      { type: 'text', text: 'Reading.' },
      { type: 'tool_use', id: 'toolu_2', name: 'grep', input: { pattern: 'x' } },
    ]);
  });

  it('drops unsigned thinking and ignores foreign or damaged provider data', () => {
    for (const providerData of [undefined, { encrypted: 'openai-reasoning' }, { format: 'anthropic-messages', content: [{ type: 'thinking', thinking: 'x' }] }]) {
      const item: HistoryItem = { type: 'assistant', text: 'Hi', thinking: 'secret musing', providerData, toolCalls: [] };
      assert.deepEqual(buildAnthropicMessages([item])[0]!.content, [{ type: 'text', text: 'Hi' }]);
    }
    // A reply that was only unsigned thinking leaves nothing to send, and no empty message.
    const thinkingOnly: HistoryItem = { type: 'assistant', text: '', thinking: 'hmm', toolCalls: [] };
    assert.deepEqual(buildAnthropicMessages([toolTurn[0]!, thinkingOnly]).length, 1);
  });

  it('merges parallel tool results into one user message, with is_error and no empty content', () => {
    const messages = buildAnthropicMessages([
      { type: 'user', parts: [{ type: 'text', text: 'go' }] },
      {
        type: 'assistant',
        text: '',
        toolCalls: [
          { id: 'a', name: 'read_file', argumentsJson: '{"path":"x"}' },
          { id: 'b', name: 'shell', argumentsJson: '{"cmd":' },
        ],
      },
      { type: 'tool_result', callId: 'a', name: 'read_file', output: '', isError: false },
      { type: 'tool_result', callId: 'b', name: 'shell', output: 'bad arguments', isError: true },
      { type: 'user', parts: [{ type: 'text', text: 'also this' }] },
    ]);
    assert.equal(messages.length, 3);
    assert.deepEqual(messages[1]!.content.at(-1), { type: 'tool_use', id: 'b', name: 'shell', input: {} });
    assert.deepEqual(messages[2], {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'a' },
        { type: 'tool_result', tool_use_id: 'b', content: 'bad arguments', is_error: true },
        { type: 'text', text: 'also this' },
      ],
    });
  });

  it('sends images as base64 sources and resources as file-tagged text, skipping empty text', () => {
    const [message] = buildAnthropicMessages([
      {
        type: 'user',
        parts: [
          { type: 'text', text: '' },
          { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
          { type: 'resource', uri: 'file:///w/a.ts', text: 'const a = 1;' },
        ],
      },
    ]);
    assert.deepEqual(message!.content, [
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'text', text: '<file uri="file:///w/a.ts">\nconst a = 1;\n</file>' },
    ]);
  });
});

describe('anthropic cache breakpoints', () => {
  it('marks the end of the stable prefix and the tail of a first request', () => {
    assert.deepEqual(breakpoints(bodyOf(toolTurn.slice(0, 1))), ['system.0', 'messages.0.0:text']);
    // Without instructions the stable prefix ends at the last tool.
    const twoTools = [...request().tools, { name: 'grep', description: 'Searches', parameters: { type: 'object' } }];
    assert.deepEqual(breakpoints(bodyOf(toolTurn.slice(0, 1), OPTIONS, { instructions: '', tools: twoTools })), ['tools.1', 'messages.0.0:text']);
  });

  it('also marks where the previous call ended, never on thinking, never more than four', () => {
    const later: HistoryItem[] = [
      ...toolTurn,
      { type: 'assistant', text: 'Done.', providerData: providerDataOf([{ type: 'thinking', thinking: 't', signature: 's' }, { type: 'text', text: 'Done.' }]), toolCalls: [] },
      { type: 'user', parts: [{ type: 'text', text: 'thanks' }, { type: 'image', mimeType: 'image/png', data: 'AA==' }] },
    ];
    const marks = breakpoints(bodyOf(later));
    assert.deepEqual(marks, ['system.0', 'messages.2.0:tool_result', 'messages.4.1:image']);
    for (let n = 1; n <= later.length; n++) assert.ok(breakpoints(bodyOf(later.slice(0, n))).length <= MAX_CACHE_BREAKPOINTS);
  });
});
