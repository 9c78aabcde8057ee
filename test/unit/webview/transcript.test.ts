import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionUpdate } from '@agentclientprotocol/sdk';
import { Transcript } from '../../../extension/webview/transcript';

const chunk = (kind: 'agent_message_chunk' | 'agent_thought_chunk' | 'user_message_chunk', text: string): SessionUpdate => ({ sessionUpdate: kind, content: { type: 'text', text } });

describe('webview transcript', () => {
  it("joins consecutive chunks of one kind and bumps only that entry's version", () => {
    const t = new Transcript();
    t.apply(chunk('user_message_chunk', 'hi'));
    t.apply(chunk('agent_thought_chunk', 'hmm '));
    t.apply(chunk('agent_thought_chunk', 'ok'));
    t.apply(chunk('agent_message_chunk', 'Hel'));
    const userVersion = t.entries[0]!.version;
    t.apply(chunk('agent_message_chunk', 'lo'));
    assert.deepEqual(t.entries.map((e) => (e.type === 'message' ? [e.role, e.text] : e.type)), [['user', 'hi'], ['thought', 'hmm ok'], ['agent', 'Hello']]);
    assert.equal(t.entries[0]!.version, userVersion);
    assert.equal(t.entries[2]!.version, 1);
  });

  it('merges tool call updates by id, keeping what an update leaves out', () => {
    const t = new Transcript();
    t.apply({ sessionUpdate: 'tool_call', toolCallId: 'c1', title: 'Read a.ts', kind: 'read', status: 'pending', locations: [{ path: '/w/a.ts', line: 3 }] });
    t.apply(chunk('agent_message_chunk', 'between'));
    t.apply({ sessionUpdate: 'tool_call_update', toolCallId: 'c1', status: 'completed', content: [{ type: 'content', content: { type: 'text', text: 'done' } }] });
    const tool = t.entries[0]!;
    assert.equal(tool.type, 'tool');
    if (tool.type !== 'tool') return;
    assert.equal(tool.title, 'Read a.ts');
    assert.equal(tool.kind, 'read');
    assert.equal(tool.status, 'completed');
    assert.equal(tool.locations[0]!.line, 3);
    assert.equal(tool.content.length, 1);
    assert.equal(t.entries.length, 2);
  });

  it('replaces the plan whole and reads usage with the stateless baseline', () => {
    const t = new Transcript();
    t.apply({ sessionUpdate: 'plan', entries: [{ content: 'a', status: 'pending', priority: 'high' }, { content: 'b', status: 'pending', priority: 'low' }] });
    t.apply({ sessionUpdate: 'plan', entries: [{ content: 'a', status: 'completed', priority: 'high' }] });
    assert.deepEqual(t.plan.map((e) => [e.content, e.status]), [['a', 'completed']]);
    t.apply({ sessionUpdate: 'usage_update', used: 1000, size: 128000, _meta: { tether: { totals: { bytesSent: 4000, statelessBytes: 10000, inputTokens: 900, outputTokens: 100 } } } });
    assert.deepEqual(t.usage, { used: 1000, size: 128000, sentBytes: 4000, statelessBytes: 10000, tokens: 1000 });
    t.apply({ sessionUpdate: 'session_info_update', title: 'Fix the parser' });
    assert.equal(t.title, 'Fix the parser');
  });
});
