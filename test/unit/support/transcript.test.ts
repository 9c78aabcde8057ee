import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as acp from '@agentclientprotocol/sdk';
import { choosePermissionOption } from '../../../server/demo/driver';
import { TranscriptPrinter } from '../../../server/demo/transcript';

function printer() {
  let out = '';
  const p = new TranscriptPrinter({ write: (t) => (out += t), cwd: '/ws' });
  return { p, text: () => out };
}

const permission = (kind: acp.ToolKind, options: acp.PermissionOption[]): acp.RequestPermissionRequest => ({
  sessionId: 's',
  toolCall: { toolCallId: 't', title: 'x', kind },
  options,
});

describe('choosePermissionOption', () => {
  const planExit = [
    { optionId: 'implement-accept-edits', name: 'Approve and implement, accepting edits', kind: 'allow_always' as const },
    { optionId: 'implement-ask', name: 'Approve and implement, asking before edits', kind: 'allow_once' as const },
    { optionId: 'keep-planning', name: 'Keep planning', kind: 'reject_once' as const },
  ];
  const tool = [
    { optionId: 'allow_once', name: 'Allow', kind: 'allow_once' as const },
    { optionId: 'allow_always', name: 'Always allow', kind: 'allow_always' as const },
    { optionId: 'reject_once', name: 'Reject', kind: 'reject_once' as const },
  ];

  it('implements the plan accepting edits', () => {
    assert.equal(choosePermissionOption(permission('switch_mode', planExit))?.optionId, 'implement-accept-edits');
  });

  it('allows other calls once', () => {
    assert.equal(choosePermissionOption(permission('execute', tool))?.optionId, 'allow_once');
    assert.equal(choosePermissionOption(permission('edit', [tool[1]!, tool[2]!]))?.optionId, 'allow_always');
    assert.equal(choosePermissionOption(permission('edit', [tool[2]!])), undefined);
  });
});

describe('TranscriptPrinter', () => {
  it('streams messages, closes the line before tool calls and prints status', () => {
    const { p, text } = printer();
    p.update({ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'Hello ' } });
    p.update({ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'there.' } });
    p.update({ sessionUpdate: 'tool_call', toolCallId: 'a', title: 'Read /ws/src/a.js', kind: 'read', status: 'pending' });
    p.update({ sessionUpdate: 'tool_call_update', toolCallId: 'a', status: 'completed', content: [{ type: 'content', content: { type: 'text', text: 'file text' } }] });
    assert.equal(text(), 'tether › Hello there.\n  ▸ Read src/a.js  [read]\n  ✓ Read src/a.js — completed\n');
    assert.deepEqual(p.events, ['message', 'tool:read', 'completed:read']);
  });

  it('prints diffs as unified diffs, once, with relative paths', () => {
    const { p, text } = printer();
    const diff = { type: 'diff' as const, path: '/ws/a.js', oldText: 'one\ntwo\n', newText: 'one\n2\n' };
    p.update({ sessionUpdate: 'tool_call', toolCallId: 'e', title: 'Edit a.js', kind: 'edit', status: 'in_progress', content: [diff] });
    p.update({ sessionUpdate: 'tool_call_update', toolCallId: 'e', status: 'completed', content: [diff] });
    const out = text();
    assert.match(out, /--- a\.js\n/);
    assert.match(out, /@@ -1,2 \+1,2 @@/);
    assert.match(out, /-two\n\s+\+2\n/);
    assert.equal(out.split('+++ a.js').length, 2, 'the diff is printed once');
  });

  it('shows shell output with the middle elided, plans and usage totals', () => {
    const { p, text } = printer();
    const output = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n');
    p.update({ sessionUpdate: 'tool_call', toolCallId: 's', title: 'npm test', kind: 'execute', status: 'pending' });
    p.update({ sessionUpdate: 'tool_call_update', toolCallId: 's', status: 'failed', content: [{ type: 'content', content: { type: 'text', text: output } }] });
    p.update({ sessionUpdate: 'plan', entries: [{ content: 'Fix', status: 'completed', priority: 'high' }, { content: 'Test', status: 'pending', priority: 'low' }] });
    p.update({ sessionUpdate: 'usage_update', used: 10, size: 100, _meta: { tether: { totals: { modelCalls: 3, bytesSent: 1234 } } } });
    const out = text();
    assert.match(out, /│ line 0\n/);
    assert.match(out, /… 24 lines elided …/);
    assert.match(out, /│ line 39\n/);
    assert.match(out, /✗ npm test — failed/);
    assert.match(out, /◆ plan \(1\/2 done\)\n {4}\[x\] Fix\n {4}\[ \] Test\n/);
    assert.deepEqual(p.usage, { modelCalls: 3, bytesSent: 1234 });
  });

  it('prints a permission request with the chosen option and what is asked', () => {
    const { p, text } = printer();
    const request: acp.RequestPermissionRequest = {
      sessionId: 's',
      toolCall: { toolCallId: 'x', title: 'Ready?', kind: 'switch_mode', content: [{ type: 'content', content: { type: 'text', text: '## Plan\n1. fix' } }] },
      options: [
        { optionId: 'go', name: 'Go', kind: 'allow_once' },
        { optionId: 'no', name: 'No', kind: 'reject_once' },
      ],
    };
    p.permission(request, request.options[0]);
    assert.match(text(), /\? permission requested: Ready\?\n {6}→ Go \(allow_once\)\n {8}No \(reject_once\)\n {4}│ ## Plan\n {4}│ 1\. fix\n/);
    assert.equal(p.permissionCount, 1);
  });
});
