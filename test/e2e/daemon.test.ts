// The shared daemon as a real process, driven by SDK clients over its WebSocket: several
// clients on one session, reattach with only the missed tail, and SIGKILL at random moments.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startScriptedChatServer, type ScriptedChatServer, type ScriptedResponse } from '../../server/demo/scripted-chat-server';
import { DaemonProcess, seqOf, until, WsClient } from '../support/daemon-process';
import { isTurnMarker } from '../../server/session/turn-updates';

const root = mkdtempSync(join(tmpdir(), 'tether-daemon-e2e-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A model that calls glob `steps` times (a little text each time), then finishes. */
function stepsScript(steps: number, chunkDelayMs = 2): (request: { body: { messages: Array<{ role: string }> } }) => ScriptedResponse {
  return (request) => {
    const done = request.body.messages.filter((m) => m.role === 'tool').length;
    if (done >= steps) return { text: 'All steps done.' };
    return { text: `Step ${done + 1}. `, chunkChars: 4, chunkDelayMs, toolCalls: [{ name: 'glob', arguments: { pattern: '*' } }] };
  };
}

const finishedText = (client: WsClient, sessionId: string) =>
  client
    .updatesOf(sessionId)
    .map((n) => (n.update.sessionUpdate === 'agent_message_chunk' && n.update.content.type === 'text' ? n.update.content.text : ''))
    .join('')
    .includes('All steps done.');

async function setup(script: ScriptedResponse[] | ReturnType<typeof stepsScript>) {
  const home = mkdtempSync(join(root, 'home-'));
  const workspace = mkdtempSync(join(root, 'ws-'));
  const model: ScriptedChatServer = await startScriptedChatServer({ script: script as never });
  const env = { OPENAI_BASE_URL: model.url, TETHER_MODEL: 'scripted-model', TETHER_MAX_TURN_REQUESTS: '500' };
  const daemon = await DaemonProcess.start(home, env);
  return { home, workspace, model, env, daemon };
}

test('two clients over WebSocket see the same updates in order; the prompter gets the question', async () => {
  const { workspace, model, daemon } = await setup([
    { text: 'Let me run it.', toolCalls: [{ name: 'shell', arguments: { command: 'echo shared' } }] },
    { text: 'It printed shared.' },
  ]);
  const a = new WsClient(daemon);
  const b = new WsClient(daemon);
  try {
    await a.initialize();
    await b.initialize();
    const { sessionId } = await a.agent.request('session/new', { cwd: workspace, mcpServers: [] });
    await b.agent.request('_tether/session/attach', { sessionId, afterSeq: 0 });
    const response = await a.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'run echo' }] });
    assert.equal(response.stopReason, 'end_turn');
    await until(() => b.updatesOf(sessionId).length > 0 && seqOf(b.updatesOf(sessionId).at(-1)!) === seqOf(a.updatesOf(sessionId).at(-1)!), 'b to catch up');
    const visible = (client: WsClient) => client.updatesOf(sessionId).filter((n) => n.update.sessionUpdate !== 'user_message_chunk');
    assert.deepEqual(visible(b), visible(a));
    assert.equal(a.permissionRequests.length, 1);
    assert.equal(b.permissionRequests.length, 0);
    assert.deepEqual([...a.problems, ...b.problems], []);
  } finally {
    a.close();
    b.close();
    await daemon.kill('SIGTERM');
    await model.close();
  }
});

test('a client that drops 20 times mid-run reattaches with no gap and no duplicate', async () => {
  const { workspace, model, daemon } = await setup(stepsScript(60, 10));
  const starter = new WsClient(daemon);
  try {
    await starter.initialize();
    const { sessionId } = await starter.agent.request('session/new', { cwd: workspace, mcpServers: [] });
    await starter.agent.request('session/set_mode', { sessionId, modeId: 'bypass' });
    // The run goes on with no client attached; its answer has nowhere to go.
    void starter.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'go' }] }).catch(() => undefined);
    await until(() => starter.updatesOf(sessionId).some((n) => n.update.sessionUpdate === 'agent_message_chunk'), 'the run to start');
    starter.close();
    let lastSeqSeen = seqOf(starter.updates.at(-1)!);
    const seen: number[] = starter.updates.map(seqOf);
    let lastSeq = lastSeqSeen;
    lastSeqSeen = 0;
    for (let round = 0; round < 20; round++) {
      const watcher = new WsClient(daemon);
      await watcher.initialize();
      await watcher.agent.request('_tether/session/attach', { sessionId, afterSeq: lastSeq });
      const target = lastSeq + 1 + Math.floor(Math.random() * 12);
      await until(() => watcher.updates.some((n) => seqOf(n) >= target) || finishedText(watcher, sessionId), `seq ${target}`, 3000);
      watcher.close();
      seen.push(...watcher.updates.map(seqOf));
      if (watcher.updates.length > 0) lastSeq = seqOf(watcher.updates.at(-1)!);
      assert.deepEqual(watcher.problems, []);
    }
    const last = new WsClient(daemon);
    await last.initialize();
    await last.agent.request('_tether/session/attach', { sessionId, afterSeq: lastSeq });
    // The run ends with its final text, that call's usage update, then the turn's idle marker.
    await until(() => finishedText(last, sessionId) && isTurnMarker(last.updates.at(-1)?.update), 'the run to finish', 20_000);
    seen.push(...last.updates.map(seqOf));
    last.close();
    assert.deepEqual(seen, [...new Set(seen)].sort((x, y) => x - y), 'every seq at most once, in order');
    // The only seqs the views lack are the prompt's own echo, which is not sent back to the client that typed it.
    const everything = new WsClient(daemon);
    await everything.initialize();
    await everything.agent.request('_tether/session/attach', { sessionId, afterSeq: 0 });
    const kinds = new Map(everything.updatesOf(sessionId).map((n) => [seqOf(n), n.update.sessionUpdate]));
    everything.close();
    const missing = [...kinds.keys()].filter((seq) => !seen.includes(seq));
    assert.deepEqual(missing.map((seq) => kinds.get(seq)), ['user_message_chunk']);
    assert.ok(lastSeqSeen === 0 && kinds.size > 100, 'the run produced updates');
    assert.equal(seen.at(-1), Math.max(...kinds.keys()));
  } finally {
    await daemon.kill('SIGTERM');
    await model.close();
  }
});

test('SIGKILL at 20 random moments: every update a client received is in the reloaded session; no turn stays open', async () => {
  const { home, workspace, model, env, daemon: first } = await setup(stepsScript(1000));
  let daemon = first;
  let sessionId = '';
  try {
    for (let round = 0; round < 20; round++) {
      const client = new WsClient(daemon);
      await client.initialize();
      if (!sessionId) {
        sessionId = (await client.agent.request('session/new', { cwd: workspace, mcpServers: [] })).sessionId;
      } else {
        await client.agent.request('_tether/session/attach', { sessionId, afterSeq: 0 });
      }
      await client.agent.request('session/set_mode', { sessionId, modeId: 'bypass' });
      void client.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: `round ${round}` }] }).catch(() => undefined);
      const before = client.updates.length;
      await until(() => client.updates.length > before + 1, 'the turn to produce updates');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 60));
      await daemon.kill('SIGKILL');
      const received = client.updatesOf(sessionId);
      client.close();
      daemon = await DaemonProcess.start(home, env);
      const check = new WsClient(daemon);
      await check.initialize();
      await check.agent.request('_tether/session/attach', { sessionId, afterSeq: 0 });
      const bySeq = new Map(check.updatesOf(sessionId).map((n) => [seqOf(n), JSON.stringify(n.update)]));
      for (const notification of received) {
        assert.equal(bySeq.get(seqOf(notification)), JSON.stringify(notification.update), `round ${round}: seq ${seqOf(notification)} is in the log as sent`);
      }
      const status = new Map<string, string | undefined | null>();
      for (const { update } of check.updatesOf(sessionId)) {
        if (update.sessionUpdate === 'tool_call' || update.sessionUpdate === 'tool_call_update') status.set(update.toolCallId, update.status ?? status.get(update.toolCallId));
      }
      for (const [id, last] of status) assert.ok(last === 'completed' || last === 'failed', `round ${round}: tool call ${id} ended ${last}`);
      check.close();
    }
  } finally {
    await daemon.kill('SIGTERM');
    await model.close();
  }
});
