// Turn control: cancel kills a running command fast; a second prompt queues; sessions reload.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startHarness, userText, waitFor } from './harness';

test('cancel kills a long shell command and the prompt answers cancelled within 1 s', async () => {
  const h = await startHarness({ script: [{ toolCalls: [{ name: 'shell', arguments: { command: 'sleep 30' } }] }, { text: 'never' }] });
  try {
    await h.initialize();
    const { sessionId } = await h.newSession();
    await h.agent.request('session/set_mode', { sessionId, modeId: 'bypass' });
    const pending = h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'wait' }] });
    await waitFor(() => h.updatesOf('tool_call_update').some((u) => 'status' in u && u.status === 'in_progress'), 'the command to start');
    const started = Date.now();
    await h.agent.notify('session/cancel', { sessionId });
    const response = await pending;
    assert.equal(response.stopReason, 'cancelled');
    assert.ok(Date.now() - started < 1000, `cancel took ${Date.now() - started} ms`);
    assert.equal(h.model.requests.length, 1, 'no model call after the cancel');
  } finally {
    await h.close();
  }
});

test('cancel during streaming stops the model call at once', async () => {
  const h = await startHarness({ script: [{ text: 'tick ', hang: true }] });
  try {
    await h.initialize();
    const { sessionId } = await h.newSession();
    const pending = h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'talk' }] });
    await waitFor(() => h.updatesOf('agent_message_chunk').length > 0, 'streaming');
    await h.agent.notify('session/cancel', { sessionId });
    assert.equal((await pending).stopReason, 'cancelled');
    await h.model.waitForDisconnect(1000);
  } finally {
    await h.close();
  }
});

test('a second prompt while a turn runs is queued, not dropped', async () => {
  const h = await startHarness({ script: [{ text: 'first answer', chunkDelayMs: 20, chunkChars: 2 }, { text: 'second answer' }] });
  try {
    await h.initialize();
    const { sessionId } = await h.newSession();
    const first = h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'one' }] });
    await waitFor(() => h.model.requests.length === 1, 'the first model call');
    const second = h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'two' }] });
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.stopReason, 'end_turn');
    assert.equal(b.stopReason, 'end_turn');
    assert.equal((b._meta as { tether: { queued: boolean } }).tether.queued, true);
    assert.equal(h.model.requests.length, 2);
    const lastUser = h.model.requests[1]!.body.messages.filter((m: { role: string }) => m.role === 'user').at(-1);
    assert.equal(userText(lastUser), 'two');
  } finally {
    await h.close();
  }
});

test('session/load in a new process state replays the transcript; list filters by cwd', async () => {
  const first = await startHarness({ keepFiles: true, script: [{ toolCalls: [{ name: 'glob', arguments: { pattern: '*' } }] }, { text: 'All read.' }] });
  let sessionId: string;
  try {
    await first.initialize();
    sessionId = (await first.newSession()).sessionId;
    await first.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'look around' }] });
  } finally {
    await first.close();
  }
  const second = await startHarness({ home: first.home, workspace: first.workspace });
  try {
    await second.initialize();
    const listed = await second.agent.request('session/list', { cwd: first.workspace });
    assert.deepEqual(listed.sessions.map((s) => s.sessionId), [sessionId]);
    assert.equal(listed.sessions[0]!.title, 'look around');
    const none = await second.agent.request('session/list', { cwd: '/nonexistent' });
    assert.equal(none.sessions.length, 0);
    await second.agent.request('session/load', { sessionId, cwd: first.workspace, mcpServers: [] });
    const kinds = second.updates.map((n) => n.update.sessionUpdate);
    assert.ok(kinds.includes('user_message_chunk'));
    assert.ok(kinds.includes('tool_call'));
    const text = second.updatesOf('agent_message_chunk').map((u) => (u as { content: { text: string } }).content.text).join('');
    assert.equal(text, 'All read.');
    const finalStatus = second.updatesOf('tool_call_update').map((u) => (u as { status?: string }).status).at(-1);
    assert.equal(finalStatus, 'completed');
  } finally {
    await second.close();
    rmSync(join(first.home, '..'), { recursive: true, force: true });
  }
});

test('resume attaches without replay; close detaches; prompts on a closed session are refused', async () => {
  const first = await startHarness({ keepFiles: true, script: [{ text: 'one' }] });
  let sessionId: string;
  try {
    await first.initialize();
    sessionId = (await first.newSession()).sessionId;
    await first.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'hi' }] });
  } finally {
    await first.close();
  }
  const second = await startHarness({ home: first.home, workspace: first.workspace, script: [{ text: 'two' }] });
  try {
    await second.initialize();
    const resumed = await second.agent.request('session/resume', { sessionId, cwd: first.workspace });
    assert.equal(resumed.configOptions?.length, 3);
    const response = await second.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'again' }] });
    assert.equal(response.stopReason, 'end_turn');
    const kinds = second.updates.map((n) => n.update.sessionUpdate);
    assert.ok(!kinds.includes('user_message_chunk'), 'resume does not replay history');
    const messages = second.model.requests[0]!.body.messages.map((m: { role: string }) => m.role);
    assert.deepEqual(messages, ['system', 'user', 'assistant', 'user'], 'the model sees the earlier turn');
    await second.agent.request('session/close', { sessionId });
    await assert.rejects(second.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'x' }] }), /Resource not found|not open/);
  } finally {
    await second.close();
    rmSync(join(first.home, '..'), { recursive: true, force: true });
  }
});

test('shutting down interrupts a running turn and says so in the log and to the model', async () => {
  const h = await startHarness({ keepFiles: true, script: [{ toolCalls: [{ name: 'shell', arguments: { command: 'sleep 30' } }] }] });
  try {
    await h.initialize();
    const { sessionId } = await h.newSession();
    await h.agent.request('session/set_mode', { sessionId, modeId: 'bypass' });
    const pending = h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'wait' }] });
    await waitFor(() => h.updatesOf('tool_call_update').some((u) => 'status' in u && u.status === 'in_progress'), 'the command to start');
    await h.manager.shutdown();
    assert.equal((await pending).stopReason, 'cancelled');
    const log = readFileSync(join(h.home, 'sessions', `${sessionId}.jsonl`), 'utf8');
    assert.match(log, /"t":"turn_end"[^\n]*"stopReason":"interrupted"/);
    assert.match(log, /"t":"history"[^\n]*Interrupted: the Tether server shut down/);
  } finally {
    await h.close();
    rmSync(join(h.home, '..'), { recursive: true, force: true });
  }
});
