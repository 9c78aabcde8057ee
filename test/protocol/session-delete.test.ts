// `_tether/session/delete`: removes a stored session's log so it leaves session/list; refused
// while a turn runs; an open session is closed first, so its clients hear nothing more.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { connectExtraClient, startHarness, waitFor, type Harness } from './harness';

const codeOf = (error: unknown) => (error as { code: number }).code;

async function listed(h: Harness, sessionId: string): Promise<boolean> {
  const { sessions } = await h.agent.request('session/list', { cwd: h.workspace });
  return sessions.some((s) => s.sessionId === sessionId);
}

/** The JSON-RPC error code a request fails with. */
async function failureCode(request: Promise<unknown>): Promise<number> {
  try {
    await request;
  } catch (error) {
    return codeOf(error);
  }
  throw new Error('the request did not fail');
}

test('_tether/session/delete removes a stored session from session/list; unknown ids fail as session/load does', async () => {
  const h = await startHarness({ script: [{ text: 'hi' }] });
  try {
    await h.initialize();
    const { sessionId } = await h.newSession();
    await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Hello' }] });
    assert.ok(await listed(h, sessionId));
    assert.deepEqual(await h.agent.request('_tether/session/delete', { sessionId }), {});
    assert.ok(!(await listed(h, sessionId)));
    assert.ok(!existsSync(join(h.home, 'sessions', `${sessionId}.jsonl`)), 'the log is gone');
    const load = (id: string) => h.agent.request('session/load', { sessionId: id, cwd: h.workspace, mcpServers: [] });
    for (const id of [sessionId, '../escape']) {
      const deleteCode = await failureCode(h.agent.request('_tether/session/delete', { sessionId: id }));
      assert.equal(deleteCode, await failureCode(load(id)), `delete and load agree on ${id}`);
    }
    assert.equal(await failureCode(h.agent.request('_tether/session/delete', { sessionId })), -32002, 'not found');
    assert.equal(await failureCode(h.agent.request('_tether/session/delete', { sessionId: '../escape' })), -32602, 'a malformed id is bad params');
    assert.equal(await failureCode(h.agent.request('_tether/session/delete', {})), -32602);
  } finally {
    await h.close();
  }
});

test('deleting a session whose turn runs is refused; once the turn ends it succeeds', async () => {
  const ask = { toolCalls: [{ name: 'ask_user', arguments: { questions: [{ question: 'Go on?' }] } }] };
  const h = await startHarness({ script: [ask, { text: 'done' }] });
  try {
    let answer = () => undefined as void;
    h.setPermissionPolicy(() => new Promise((resolve) => (answer = () => resolve({ outcome: { outcome: 'selected', optionId: 'skip' } }))));
    await h.initialize();
    const { sessionId } = await h.newSession();
    const turn = h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Work' }] });
    await waitFor(() => h.permissionRequests.length === 1, 'the turn to wait on the question');
    const refused = await h.agent.request('_tether/session/delete', { sessionId }).then(
      () => assert.fail('delete went through while a turn ran'),
      (error: { code: number; message: string }) => error,
    );
    assert.equal(refused.code, -32600);
    assert.match(refused.message, /turn running/);
    assert.ok(await listed(h, sessionId), 'still stored');
    answer();
    assert.equal((await turn).stopReason, 'end_turn', 'the refused delete did not disturb the turn');
    assert.deepEqual(await h.agent.request('_tether/session/delete', { sessionId }), {});
    assert.ok(!(await listed(h, sessionId)));
  } finally {
    await h.close();
  }
});

test('an open session is closed before its log goes: attached clients get nothing more', async () => {
  const h = await startHarness({ script: [{ text: 'hi' }] });
  try {
    await h.initialize();
    const { sessionId } = await h.newSession();
    await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Hello' }] });
    const watcher = await connectExtraClient(h.manager);
    await watcher.agent.request('_tether/session/attach', { sessionId, afterSeq: 0 });
    const session = h.manager.get(sessionId);
    const seen = [h.updates.length, watcher.updates.length];
    await watcher.agent.request('_tether/session/delete', { sessionId });
    session.publish({ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'after delete' } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual([h.updates.length, watcher.updates.length], seen, 'no update after the delete');
    const prompt = h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'again' }] });
    await assert.rejects(prompt, (error: { code: number }) => error.code === -32002);
    await assert.rejects(watcher.agent.request('_tether/session/attach', { sessionId, afterSeq: 0 }), (error: { code: number }) => error.code === -32002);
    assert.ok(!existsSync(join(h.home, 'sessions', `${sessionId}.jsonl`)));
    watcher.close();
  } finally {
    await h.close();
  }
});

test('a stored session that is not open in this process is deleted too', async () => {
  const first = await startHarness({ keepFiles: true, script: [{ text: 'one' }] });
  let sessionId: string;
  try {
    await first.initialize();
    sessionId = (await first.newSession()).sessionId;
    await first.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'hi' }] });
  } finally {
    await first.close();
  }
  const second = await startHarness({ home: first.home, workspace: first.workspace });
  try {
    await second.initialize();
    assert.ok(await listed(second, sessionId));
    assert.deepEqual(await second.agent.request('_tether/session/delete', { sessionId }), {});
    assert.ok(!(await listed(second, sessionId)));
  } finally {
    await second.close();
  }
});
