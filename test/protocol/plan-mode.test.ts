// Plan mode is enforced by the tool registry: write, edit and shell are neither offered nor run,
// and the agent leaves plan mode only through an approved exit_plan_mode.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startHarness } from './harness';

test('plan mode refuses writes, edits and shell, and offers none of them', async () => {
  const h = await startHarness({
    script: [
      {
        toolCalls: [
          { name: 'write_file', arguments: { path: 'new.txt', content: 'x' } },
          { name: 'edit_file', arguments: { path: 'a.txt', old_text: 'one', new_text: 'two' } },
          { name: 'shell', arguments: { command: 'touch shell.txt' } },
        ],
      },
      { text: 'I will only plan.' },
    ],
  });
  try {
    writeFileSync(join(h.workspace, 'a.txt'), 'one\n');
    await h.initialize();
    const { sessionId } = await h.newSession();
    await h.agent.request('session/set_config_option', { sessionId, configId: 'mode', value: 'plan' });
    const response = await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Plan something' }] });
    assert.equal(response.stopReason, 'end_turn');
    assert.deepEqual(readdirSync(h.workspace).sort(), ['a.txt'], 'nothing new on disk');
    assert.equal(readFileSync(join(h.workspace, 'a.txt'), 'utf8'), 'one\n');
    assert.equal(h.permissionRequests.length, 0, 'refused outright, never asked');
    const offered = h.model.requests[0]!.body.tools.map((t: { function: { name: string } }) => t.function.name);
    for (const name of ['write_file', 'edit_file', 'shell']) assert.ok(!offered.includes(name), `${name} is not offered in plan mode`);
    assert.ok(offered.includes('exit_plan_mode'));
    const failed = h.updatesOf('tool_call_update').filter((u) => 'status' in u && u.status === 'failed');
    assert.equal(failed.length, 3);
    const toolMessages = h.model.requests[1]!.body.messages.filter((m: { role: string }) => m.role === 'tool');
    assert.equal(toolMessages.length, 3);
  } finally {
    await h.close();
  }
});

test('an approved exit_plan_mode switches mode and the edit then runs without asking', async () => {
  const plan = '1. Change one to two in a.txt';
  const h = await startHarness({
    script: [
      { toolCalls: [{ name: 'update_plan', arguments: { entries: [{ content: 'Change one to two', status: 'pending', priority: 'high' }] } }] },
      { toolCalls: [{ name: 'exit_plan_mode', arguments: { plan } }] },
      { toolCalls: [{ name: 'edit_file', arguments: { path: 'a.txt', old_text: 'one', new_text: 'two' } }] },
      { text: 'Implemented.' },
    ],
  });
  try {
    writeFileSync(join(h.workspace, 'a.txt'), 'one\n');
    await h.initialize();
    const { sessionId } = await h.newSession();
    await h.agent.request('session/set_mode', { sessionId, modeId: 'plan' });
    h.setPermissionPolicy(() => ({ outcome: { outcome: 'selected', optionId: 'implement-accept-edits' } }));
    const response = await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Fix a.txt' }] });
    assert.equal(response.stopReason, 'end_turn');
    assert.equal(readFileSync(join(h.workspace, 'a.txt'), 'utf8'), 'two\n');
    assert.equal(h.permissionRequests.length, 1, 'only the plan approval asks');
    const approval = h.permissionRequests[0]!;
    assert.equal(approval.toolCall.kind, 'switch_mode');
    assert.deepEqual(approval.options.map((o) => o.optionId), ['implement-accept-edits', 'implement-ask', 'keep-planning']);
    assert.equal(h.updatesOf('plan').length, 1);
    const modes = h.updatesOf('current_mode_update').map((u) => (u as { currentModeId: string }).currentModeId);
    assert.deepEqual(modes, ['plan', 'accept-edits']);
    const offeredAfter = h.model.requests[2]!.body.tools.map((t: { function: { name: string } }) => t.function.name);
    assert.ok(offeredAfter.includes('edit_file'));
  } finally {
    await h.close();
  }
});

test('"keep planning" stays in plan mode and passes the feedback to the model', async () => {
  const h = await startHarness({
    script: [{ toolCalls: [{ name: 'exit_plan_mode', arguments: { plan: 'do it' } }] }, { text: 'Revising.' }],
  });
  try {
    await h.initialize();
    const { sessionId } = await h.newSession();
    await h.agent.request('session/set_mode', { sessionId, modeId: 'plan' });
    h.setPermissionPolicy(() => ({ outcome: { outcome: 'selected', optionId: 'keep-planning' }, _meta: { feedback: 'Add tests first' } }));
    await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Plan' }] });
    assert.equal(h.updatesOf('current_mode_update').length, 1, 'only the switch into plan mode');
    const toolMessage = h.model.requests[1]!.body.messages.find((m: { role: string }) => m.role === 'tool');
    assert.match(toolMessage.content, /Add tests first/);
  } finally {
    await h.close();
  }
});
