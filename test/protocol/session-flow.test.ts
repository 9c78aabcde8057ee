// Protocol tests through the SDK's in-memory client: initialize, session setup, prompts with
// real tools, permissions and the "no provider" error.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RequestError } from '@agentclientprotocol/sdk';
import { isTurnMarker } from '../../server/session/turn-updates';
import { startHarness, userText, waitFor } from './harness';

test('initialize advertises identity, load, sessions and an auth method', async () => {
  const h = await startHarness();
  try {
    const init = await h.initialize();
    assert.equal(init.protocolVersion, 1);
    assert.equal(init.agentInfo?.name, 'tether');
    assert.ok(init.agentInfo?.version);
    assert.equal(init.agentCapabilities?.loadSession, true);
    assert.equal(init.agentCapabilities?.promptCapabilities?.image, true);
    assert.equal(init.agentCapabilities?.promptCapabilities?.embeddedContext, true);
    assert.ok(init.agentCapabilities?.sessionCapabilities?.list);
    assert.ok(init.agentCapabilities?.sessionCapabilities?.resume);
    assert.ok(init.agentCapabilities?.sessionCapabilities?.close);
    assert.ok((init.authMethods ?? []).length >= 1);
  } finally {
    await h.close();
  }
});

test('session/new answers with mode and model options, then sends available commands', async () => {
  const h = await startHarness();
  try {
    await h.initialize();
    const created = await h.newSession();
    assert.equal(h.updates.length, 0, 'no update may precede the session/new response');
    const categories = (created.configOptions ?? []).map((option) => option.category);
    assert.deepEqual(categories, ['mode', 'model', '_sandbox']);
    assert.equal(created.modes?.currentModeId, 'default');
    await waitFor(() => h.updatesOf('available_commands_update').length === 1, 'available commands');
  } finally {
    await h.close();
  }
});

test('a prompt streams text, reports usage and ends the turn', async () => {
  const h = await startHarness({ script: [{ text: 'Hello from the scripted model.' }] });
  try {
    await h.initialize();
    const { sessionId } = await h.newSession();
    const response = await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Say hello' }] });
    assert.equal(response.stopReason, 'end_turn');
    const text = h.updatesOf('agent_message_chunk').map((u) => (u as { content: { text: string } }).content.text).join('');
    assert.equal(text, 'Hello from the scripted model.');
    const usage = h.updatesOf('usage_update')[0] as { used: number; size: number };
    assert.ok(usage.used > 0 && usage.size > 0);
    assert.equal(h.updatesOf('session_info_update').filter((u) => 'title' in u).length, 1, 'the first prompt titles the session');
    assert.equal(h.updatesOf('session_info_update').filter((u) => isTurnMarker(u)).length, 2, 'the turn start and end markers');
    const body = h.model.requests[0]!.body;
    assert.equal(userText(body.messages.at(-1)), 'Say hello');
  } finally {
    await h.close();
  }
});

test('an edit in default mode asks first, applies after approval and shows a diff', async () => {
  const h = await startHarness({
    script: [
      { toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] },
      { toolCalls: [{ name: 'edit_file', arguments: { path: 'a.txt', old_text: 'world', new_text: 'Tether' } }] },
      { text: 'Done.' },
    ],
  });
  try {
    writeFileSync(join(h.workspace, 'a.txt'), 'hello world\n');
    await h.initialize();
    const { sessionId } = await h.newSession();
    const response = await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Edit a.txt' }] });
    assert.equal(response.stopReason, 'end_turn');
    assert.equal(readFileSync(join(h.workspace, 'a.txt'), 'utf8'), 'hello Tether\n');
    assert.equal(h.permissionRequests.length, 1, 'reads never ask; the edit asks once');
    assert.equal(h.permissionRequests[0]!.toolCall.kind, 'edit');
    const finals = h.updatesOf('tool_call_update').filter((u) => 'status' in u && u.status === 'completed');
    assert.equal(finals.length, 2);
    const contents = finals.flatMap((u) => (u.sessionUpdate === 'tool_call_update' ? (u.content ?? []) : []));
    const diff = contents.find((c) => c.type === 'diff');
    assert.ok(diff && diff.type === 'diff' && diff.newText === 'hello Tether\n');
  } finally {
    await h.close();
  }
});

test('a rejected shell command never runs and the model is told', async () => {
  const h = await startHarness({
    script: [{ toolCalls: [{ name: 'shell', arguments: { command: 'touch ran.txt' } }] }, { text: 'Understood.' }],
  });
  try {
    await h.initialize();
    const { sessionId } = await h.newSession();
    h.setPermissionPolicy(() => ({ outcome: { outcome: 'selected', optionId: 'reject_once' } }));
    const response = await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'run it' }] });
    assert.equal(response.stopReason, 'end_turn');
    assert.throws(() => readFileSync(join(h.workspace, 'ran.txt')));
    const toolMessage = h.model.requests[1]!.body.messages.find((m: { role: string }) => m.role === 'tool');
    assert.match(toolMessage.content, /rejected/);
  } finally {
    await h.close();
  }
});

test('without a provider, initialize works and a prompt fails saying what to set', async () => {
  const h = await startHarness({ noProvider: true });
  try {
    await h.initialize();
    const { sessionId } = await h.newSession();
    await assert.rejects(
      h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'hi' }] }),
      (error: unknown) => error instanceof RequestError && error.code === -32000 && /OPENAI_API_KEY/.test(error.message) && /OPENAI_BASE_URL/.test(error.message),
    );
  } finally {
    await h.close();
  }
});
