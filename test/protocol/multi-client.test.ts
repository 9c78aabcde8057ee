// Several clients on one session: the same updates in the same order, questions to the client
// that prompted, reattach with only the missed tail, and questions that wait for a client.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as acp from '@agentclientprotocol/sdk';
import { connectExtraClient, seqOf, startHarness, waitFor } from './harness';
import { isTurnMarker } from '../../server/session/turn-updates';

const slowText = { text: 'a fairly long answer streamed in small pieces', chunkChars: 2, chunkDelayMs: 3 };

test('two clients see the same updates in the same order; the prompter gets the question', async () => {
  const h = await startHarness({ script: [slowText, { toolCalls: [{ name: 'shell', arguments: { command: 'echo hi' } }] }, { text: 'done' }] });
  try {
    await h.initialize();
    const { sessionId } = await h.newSession();
    const other = await connectExtraClient(h.manager);
    await other.agent.request('_tether/session/attach', { sessionId, afterSeq: 0 });
    await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'first' }] });
    await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'second' }] });
    await waitFor(() => other.updates.length > 0 && seqOf(other.updates.at(-1)!) === seqOf(h.updates.at(-1)!), 'the other client to catch up');
    const mine = h.updates.filter((n) => n.update.sessionUpdate !== 'user_message_chunk');
    const theirs = other.updates.filter((n) => n.update.sessionUpdate !== 'user_message_chunk');
    assert.deepEqual(theirs, mine);
    assert.equal(other.updates.filter((n) => n.update.sessionUpdate === 'user_message_chunk').length, 2, 'watchers see the prompts too');
    assert.equal(h.permissionRequests.length, 1);
    assert.equal(other.permissionRequests.length, 0);
    other.close();
  } finally {
    await h.close();
  }
});

test('reattaching at random points of a run replays exactly the missed tail, 20 times', async () => {
  const script = Array.from({ length: 40 }, (_, i) => (i < 39 ? { toolCalls: [{ name: 'glob', arguments: { pattern: '*' } }], text: `step ${i} `, chunkChars: 3 } : { text: 'finished' }));
  const h = await startHarness({ script });
  try {
    await h.initialize();
    const { sessionId } = await h.newSession();
    const done = h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'go' }] });
    const view: acp.SessionNotification[] = [];
    let lastSeq = 0;
    for (let round = 0; round < 20; round++) {
      const watcher = await connectExtraClient(h.manager);
      const attached = await watcher.agent.request<{ lastSeq: number }>('_tether/session/attach', { sessionId, afterSeq: lastSeq });
      assert.ok(attached.lastSeq >= lastSeq);
      const until = lastSeq + 1 + Math.floor(Math.random() * 15);
      await waitFor(() => watcher.updates.some((n) => seqOf(n) >= until) || h.manager.get(sessionId).lastSeq < until, `seq ${until}`, 10_000);
      watcher.close();
      view.push(...watcher.updates);
      if (watcher.updates.length > 0) lastSeq = seqOf(watcher.updates.at(-1)!);
    }
    await done;
    const last = await connectExtraClient(h.manager);
    await last.agent.request('_tether/session/attach', { sessionId, afterSeq: lastSeq });
    view.push(...last.updates);
    last.close();
    const seqs = view.map(seqOf);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), 'no gap, no duplicate');
    assert.equal(seqs.at(-1), h.manager.get(sessionId).lastSeq);
    const { transcript } = await h.manager.load(sessionId);
    const logged = transcript();
    // The replayed transcript leaves out turn markers (live state, not conversation).
    const lastConversationSeq = seqOf(view.filter((n) => !isTurnMarker(n.update)).at(-1)!);
    assert.equal(logged.at(-1)!.seq, lastConversationSeq);
  } finally {
    await h.close();
  }
});

test('a question whose client leaves waits for the next client to attach', async () => {
  const h = await startHarness({ script: [{ toolCalls: [{ name: 'shell', arguments: { command: 'echo waited' } }] }, { text: 'ok' }] });
  try {
    const prompter = await connectExtraClient(h.manager);
    const { sessionId } = await prompter.agent.request('session/new', { cwd: h.workspace, mcpServers: [] });
    prompter.setPermissionPolicy(() => new Promise(() => undefined)); // never answers
    void prompter.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'run it' }] }).catch(() => undefined);
    await waitFor(() => prompter.permissionRequests.length === 1, 'the question to reach the prompter');
    prompter.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(h.manager.get(sessionId).attachedPorts, 0);
    const late = await connectExtraClient(h.manager);
    late.setPermissionPolicy(() => ({ outcome: { outcome: 'selected', optionId: 'allow_once' } }));
    await late.agent.request('_tether/session/attach', { sessionId, afterSeq: 0 });
    await waitFor(() => late.permissionRequests.length === 1, 'the question to reach the late client');
    await waitFor(() => late.updates.some((n) => n.update.sessionUpdate === 'tool_call_update' && n.update.status === 'completed'), 'the command to run');
    late.close();
  } finally {
    await h.close();
  }
});
