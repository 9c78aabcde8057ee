// Turn state for watchers: every turn start and end is a session_info_update carrying
// _meta.tether.turn; attach, load and resume say whether a turn runs; replay leaves markers out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as acp from '@agentclientprotocol/sdk';
import { isTurnMarker, type TurnState } from '../../server/session/turn-updates';
import { connectExtraClient, seqOf, startHarness, waitFor, type Harness } from './harness';

const turnOf = (update: acp.SessionUpdate) => (update._meta as { tether: { turn: TurnState } }).tether.turn;
const markers = (updates: acp.SessionNotification[]) => updates.filter((n) => isTurnMarker(n.update));

const question = { toolCalls: [{ name: 'ask_user', arguments: { questions: [{ question: 'Go on?' }] } }] };

/** A permission policy that holds every question until `release()` skips it. */
function heldQuestions(h: Harness): { release(): void } {
  const waiting: Array<() => void> = [];
  h.setPermissionPolicy(() => new Promise((resolve) => waiting.push(() => resolve({ outcome: { outcome: 'selected', optionId: 'skip' } }))));
  return { release: () => waiting.splice(0).forEach((answer) => answer()) };
}

test('each turn starts with a running marker and ends with an idle one, for every attached client', async () => {
  const h = await startHarness({ script: [{ text: 'hi' }, { text: 'tick ', hang: true }] });
  try {
    await h.initialize();
    const { sessionId } = await h.newSession();
    const watcher = await connectExtraClient(h.manager);
    await watcher.agent.request('_tether/session/attach', { sessionId, afterSeq: 0 });
    await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'hello' }] });
    const cancelled = h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'talk' }] });
    await waitFor(() => h.updatesOf('agent_message_chunk').length > 1, 'the second turn to stream');
    await h.agent.notify('session/cancel', { sessionId });
    assert.equal((await cancelled).stopReason, 'cancelled');
    await waitFor(() => markers(watcher.updates).length === 4, 'the watcher to see both turns end');

    const turns = markers(h.updates).map((n) => turnOf(n.update));
    const [first, second] = [turns[0]!.turnId, turns[2]!.turnId];
    assert.notEqual(first, second);
    assert.deepEqual(turns, [
      { state: 'running', turnId: first },
      { state: 'idle', turnId: first, stopReason: 'end_turn' },
      { state: 'running', turnId: second },
      { state: 'idle', turnId: second, stopReason: 'cancelled' },
    ]);
    assert.deepEqual(markers(watcher.updates), markers(h.updates), 'same markers, same seqs');
    // The watcher also sees the prompt: the running marker comes first, the idle one last.
    // available_commands_update is announced on a timer after session/new: it may land anywhere.
    const kinds = watcher.updates
      .map((n) => (isTurnMarker(n.update) ? `turn:${turnOf(n.update).state}` : n.update.sessionUpdate))
      .filter((kind) => kind !== 'available_commands_update');
    const firstTurn = kinds.slice(kinds.indexOf('turn:running'), kinds.indexOf('turn:idle') + 1);
    assert.deepEqual(firstTurn, ['turn:running', 'user_message_chunk', 'session_info_update', 'agent_message_chunk', 'usage_update', 'turn:idle']);
    assert.equal(kinds.at(-1), 'turn:idle');
    const seqs = watcher.updates.map(seqOf);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'markers take their place in the seq order');
    watcher.close();
  } finally {
    await h.close();
  }
});

test('attach says running while a turn runs, and not once it ended', async () => {
  const h = await startHarness({ script: [question, { text: 'done' }] });
  try {
    const held = heldQuestions(h);
    await h.initialize();
    const { sessionId } = await h.newSession();
    const turn = h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Work' }] });
    await waitFor(() => h.permissionRequests.length === 1, 'the turn to wait on the question');
    const watcher = await connectExtraClient(h.manager);
    const during = await watcher.agent.request<{ running: boolean; lastSeq: number }>('_tether/session/attach', { sessionId, afterSeq: 0 });
    assert.equal(during.running, true);
    held.release();
    await turn;
    const again = await connectExtraClient(h.manager);
    const after = await again.agent.request<{ running: boolean; lastSeq: number }>('_tether/session/attach', { sessionId, afterSeq: during.lastSeq });
    assert.equal(after.running, false);
    assert.deepEqual(again.updates.filter((n) => isTurnMarker(n.update)).map((n) => turnOf(n.update).state), ['idle'], 'the missed tail ends idle');
    watcher.close();
    again.close();
  } finally {
    await h.close();
  }
});

test('session/load replays no turn markers and says in _meta whether a turn runs', async () => {
  const h = await startHarness({ script: [{ text: 'first' }, question, { text: 'done' }] });
  try {
    const held = heldQuestions(h);
    await h.initialize();
    const { sessionId } = await h.newSession();
    await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'one' }] });
    const turn = h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'two' }] });
    await waitFor(() => h.permissionRequests.length === 1, 'the second turn to wait on the question');
    const loader = await connectExtraClient(h.manager);
    const busy = await loader.agent.request('session/load', { sessionId, cwd: h.workspace, mcpServers: [] });
    assert.deepEqual(busy._meta, { tether: { running: true } });
    assert.ok(loader.updates.some((n) => n.update.sessionUpdate === 'agent_message_chunk'), 'the transcript was replayed');
    assert.deepEqual(markers(loader.updates), [], 'no marker replayed, the logged running one included');
    held.release();
    await turn;
    await waitFor(() => markers(loader.updates).length === 1, 'the live idle marker');
    assert.equal(turnOf(markers(loader.updates)[0]!.update).state, 'idle');
    const late = await connectExtraClient(h.manager);
    const idle = await late.agent.request('session/load', { sessionId, cwd: h.workspace, mcpServers: [] });
    assert.deepEqual(idle._meta, { tether: { running: false } });
    assert.deepEqual(markers(late.updates), []);
    const resumed = await late.agent.request('session/resume', { sessionId, cwd: h.workspace });
    assert.deepEqual(resumed._meta, { tether: { running: false } });
    loader.close();
    late.close();
  } finally {
    await h.close();
  }
});
