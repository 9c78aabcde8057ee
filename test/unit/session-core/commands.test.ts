import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCommand } from '../../../server/session/commands';
import { updateForEvent } from '../../../server/session/turn-updates';

test('/plan switches to plan mode and keeps the rest of the prompt', () => {
  const read = readCommand([{ type: 'text', text: '/plan add a cache' }]);
  assert.equal(read.mode, 'plan');
  assert.deepEqual(read.parts, [{ type: 'text', text: 'add a cache' }]);
});

test('text that only looks like a command is left alone', () => {
  for (const text of ['/unknown thing', 'plan it', ' /plan x']) {
    const read = readCommand([{ type: 'text', text }]);
    assert.equal(read.mode, undefined);
    assert.equal(read.parts[0]?.type === 'text' && read.parts[0].text, text);
  }
});

test('tool results become ACP content; long text is previewed for the card only', () => {
  const output = Array.from({ length: 200 }, (_, i) => `match ${i}`).join('\n');
  const done = updateForEvent({ type: 'tool_done', callId: 'c1', ok: true, output });
  assert.ok(done && done.sessionUpdate === 'tool_call_update');
  const block = done.content?.[0];
  assert.ok(block && block.type === 'content' && block.content.type === 'text');
  assert.equal(block.content.text, `${output.split('\n').slice(0, 12).join('\n')}\n[... 188 more lines]`);
  const shellText = updateForEvent({ type: 'tool_done', callId: 'c3', ok: true, output: 'ok', display: [{ type: 'text', text: 'y'.repeat(5000) }] });
  assert.ok(shellText && shellText.sessionUpdate === 'tool_call_update');
  const shown = shellText.content?.[0];
  assert.ok(shown && shown.type === 'content' && shown.content.type === 'text' && shown.content.text.length < 2100);
  const diff = updateForEvent({ type: 'tool_done', callId: 'c2', ok: true, output: 'ok', display: [{ type: 'diff', path: '/w/a', oldText: null, newText: 'n' }] });
  assert.ok(diff && diff.sessionUpdate === 'tool_call_update' && diff.content?.[0]?.type === 'diff');
  assert.equal(updateForEvent({ type: 'history', item: { type: 'user', parts: [] } }), undefined);
});
