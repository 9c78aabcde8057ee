// ask_user: the questions reach the client as a session/request_permission carrying
// _meta.tether.questions, and whatever the user does comes back to the model as the tool result.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as acp from '@agentclientprotocol/sdk';
import { startHarness, waitFor, type Harness } from './harness';

const questions = [{ question: 'Tabs or spaces?', options: ['tabs', 'spaces'] }, { question: 'Which file?' }];
const ask = { toolCalls: [{ name: 'ask_user', arguments: { questions } }] };

/** The tool message the model got back in its second request. */
function toolResult(h: Harness): string {
  return h.model.requests[1]!.body.messages.find((m: { role: string }) => m.role === 'tool').content;
}

async function promptIn(h: Harness, mode: string): Promise<acp.PromptResponse> {
  await h.initialize();
  const { sessionId } = await h.newSession();
  await h.agent.request('session/set_config_option', { sessionId, configId: 'mode', value: mode });
  return h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Go' }] });
}

test('ask_user in plan mode: the questions go out under _meta, the answers come back to the model', async () => {
  const h = await startHarness({ script: [ask, { text: 'Thanks.' }] });
  try {
    h.setPermissionPolicy(() => ({ outcome: { outcome: 'selected', optionId: 'answer' }, _meta: { tether: { answers: ['spaces', 'src/a.ts'] } } }));
    assert.equal((await promptIn(h, 'plan')).stopReason, 'end_turn');
    assert.equal(h.permissionRequests.length, 1, 'only the questions are asked');
    const [request] = h.permissionRequests;
    const call = h.updatesOf('tool_call')[0] as acp.ToolCall;
    assert.equal(call.kind, 'think');
    assert.deepEqual(request!.toolCall, {
      toolCallId: call.toolCallId,
      title: 'Question from the agent',
      kind: 'think',
      status: 'pending',
      content: [{ type: 'content', content: { type: 'text', text: '1. Tabs or spaces? (tabs / spaces)\n2. Which file?' } }],
    });
    assert.deepEqual(request!.options, [
      { optionId: 'answer', name: 'Answer', kind: 'allow_once' },
      { optionId: 'skip', name: 'Skip', kind: 'reject_once' },
    ]);
    assert.deepEqual(request!._meta, { tether: { questions } });
    assert.equal(toolResult(h), 'The user answered:\nQ: Tabs or spaces?\nA: spaces\nQ: Which file?\nA: src/a.ts');
    const done = h.updatesOf('tool_call_update').filter((u) => (u as acp.ToolCallUpdate).status === 'completed');
    assert.equal(done.length, 1);
  } finally {
    await h.close();
  }
});

test('ask_user answered by a plain client (no answers) or skipped tells the model what happened', async () => {
  for (const [optionId, expected] of [['answer', /could not answer inline/], ['skip', /skipped the questions/]] as const) {
    const h = await startHarness({ script: [ask, { text: 'OK.' }] });
    try {
      h.setPermissionPolicy(() => ({ outcome: { outcome: 'selected', optionId } }));
      await promptIn(h, 'plan');
      assert.match(toolResult(h), expected);
    } finally {
      await h.close();
    }
  }
});

test('ask_user is offered and asks only the questions in default and bypass modes too', async () => {
  for (const mode of ['default', 'bypass']) {
    const single = { toolCalls: [{ name: 'ask_user', arguments: { questions: [{ question: 'Keep the old API?' }] } }] };
    const h = await startHarness({ script: [single, { text: 'OK.' }] });
    try {
      h.setPermissionPolicy(() => ({ outcome: { outcome: 'selected', optionId: 'answer' }, _meta: { tether: { answers: ['yes'] } } }));
      await promptIn(h, mode);
      const offered = h.model.requests[0]!.body.tools.map((t: { function: { name: string } }) => t.function.name);
      assert.ok(offered.includes('ask_user'), `offered in ${mode}`);
      assert.deepEqual(h.permissionRequests.map((r) => r.toolCall.title), ['Keep the old API?'], `no tool permission prompt first in ${mode}`);
      assert.equal(toolResult(h), 'The user answered:\nQ: Keep the old API?\nA: yes');
    } finally {
      await h.close();
    }
  }
});

test('cancelling while the questions wait ends the turn cancelled', async () => {
  const h = await startHarness({ script: [ask, { text: 'never' }] });
  try {
    // Like an ACP client should: the question stays open until it sends session/cancel, then
    // it answers the pending request "cancelled".
    let answerCancelled = () => undefined as void;
    h.setPermissionPolicy(() => new Promise((resolve) => (answerCancelled = () => resolve({ outcome: { outcome: 'cancelled' } }))));
    await h.initialize();
    const { sessionId } = await h.newSession();
    const pending = h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Go' }] });
    await waitFor(() => h.permissionRequests.length === 1, 'the questions to be asked');
    await h.agent.notify('session/cancel', { sessionId });
    answerCancelled();
    assert.equal((await pending).stopReason, 'cancelled');
    assert.equal(h.model.requests.length, 1, 'the model is not called again');
  } finally {
    await h.close();
  }
});
