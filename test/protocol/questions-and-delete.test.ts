// ask_user questions reach the client as a permission request with _meta.tether.questions and
// come back as the tool result; _tether/session/delete removes a stored session.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHarness } from './harness';

const ask = { toolCalls: [{ name: 'ask_user', arguments: { questions: [{ question: 'Tabs or spaces?', options: ['tabs', 'spaces'] }, { question: 'Which file?' }] } }] };

test('ask_user in plan mode: the questions go out under _meta, the answers come back to the model', async () => {
  const h = await startHarness({ script: [ask, { text: 'Thanks.' }] });
  try {
    h.setPermissionPolicy(() => ({ outcome: { outcome: 'selected', optionId: 'answer' }, _meta: { tether: { answers: ['spaces', 'src/a.ts'] } } }));
    await h.initialize();
    const { sessionId } = await h.newSession();
    await h.agent.request('session/set_config_option', { sessionId, configId: 'mode', value: 'plan' });
    const response = await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Plan it' }] });
    assert.equal(response.stopReason, 'end_turn');
    const [request] = h.permissionRequests;
    assert.ok(request);
    assert.deepEqual((request._meta as { tether: { questions: unknown } }).tether.questions, [{ question: 'Tabs or spaces?', options: ['tabs', 'spaces'] }, { question: 'Which file?' }]);
    assert.deepEqual(request.options.map((o) => o.optionId), ['answer', 'skip']);
    assert.equal(request.toolCall.kind, 'think');
    const result = h.model.requests[1]!.body.messages.find((m: { role: string }) => m.role === 'tool');
    assert.match(result.content, /Q: Tabs or spaces\?\nA: spaces/);
    assert.match(result.content, /Q: Which file\?\nA: src\/a\.ts/);
  } finally {
    await h.close();
  }
});

test('ask_user answered by a plain client (no answers) or skipped tells the model what happened', async () => {
  for (const [optionId, expected] of [['answer', /cannot collect answers inline/], ['skip', /skipped the questions/]] as const) {
    const h = await startHarness({ script: [ask, { text: 'OK.' }] });
    try {
      h.setPermissionPolicy(() => ({ outcome: { outcome: 'selected', optionId } }));
      await h.initialize();
      const { sessionId } = await h.newSession();
      await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Go' }] });
      const result = h.model.requests[1]!.body.messages.find((m: { role: string }) => m.role === 'tool');
      assert.match(result.content, expected);
    } finally {
      await h.close();
    }
  }
});

test('_tether/session/delete removes a stored session from session/list; unknown ids are not found', async () => {
  const h = await startHarness({ script: [{ text: 'hi' }] });
  try {
    await h.initialize();
    const { sessionId } = await h.newSession();
    await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Hello' }] });
    const before = await h.agent.request('session/list', { cwd: h.workspace });
    assert.ok(before.sessions.some((s) => s.sessionId === sessionId));
    assert.deepEqual(await h.agent.request('_tether/session/delete', { sessionId }), {});
    const after = await h.agent.request('session/list', { cwd: h.workspace });
    assert.ok(!after.sessions.some((s) => s.sessionId === sessionId));
    await assert.rejects(h.agent.request('_tether/session/delete', { sessionId }), (error: { code: number }) => error.code === -32002);
    await assert.rejects(h.agent.request('_tether/session/delete', { sessionId: '../escape' }), (error: { code: number }) => error.code === -32002);
    await assert.rejects(h.agent.request('_tether/session/delete', {}), (error: { code: number }) => error.code === -32602);
  } finally {
    await h.close();
  }
});
