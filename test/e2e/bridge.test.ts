// `tether acp` as editors launch it (no --standalone): a thin bridge that starts the shared
// daemon on first use and relays stdio to it. Spawned the way JetBrains and Zed do it: some
// other process cwd, a thin PATH, its own TETHER_HOME. Then the daemon is SIGKILLed mid-turn:
// the bridge must start a new one and reattach, so the editor's session goes on with every
// update seq exactly once.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type * as acp from '@agentclientprotocol/sdk';
import { startScriptedChatServer, type ScriptedResponse } from '../../server/demo/scripted-chat-server';
import { AgentProcess } from '../support/agent-process';

const root = mkdtempSync(join(tmpdir(), 'tether-bridge-e2e-'));
const homes: string[] = [];
after(async () => {
  for (const home of homes) await stopDaemon(home);
  rmSync(root, { recursive: true, force: true });
});

interface Discovery {
  pid: number;
  port: number;
}

function discovery(home: string): Discovery | undefined {
  const path = join(home, 'daemon.json');
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Discovery;
  } catch {
    return undefined; // being replaced
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The daemon outlives the editors by design; the test stops it. */
async function stopDaemon(home: string): Promise<void> {
  const pid = discovery(home)?.pid;
  if (!pid || !alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  await until(() => !alive(pid), `daemon ${pid} to stop`, 5_000).catch(() => process.kill(pid, 'SIGKILL'));
}

/** A fresh home, workspace and model server; the editor is spawned from an unrelated cwd with a thin PATH. */
async function setup(script: ScriptedResponse[]) {
  const home = mkdtempSync(join(root, 'home-'));
  homes.push(home);
  const workspace = mkdtempSync(join(root, 'ws-'));
  writeFileSync(join(workspace, 'notes.md'), '# Notes\nbuy milk\n');
  const elsewhere = join(root, 'editor-cwd');
  mkdirSync(elsewhere, { recursive: true });
  const model = await startScriptedChatServer({ script });
  after(() => model.close());
  const env = { OPENAI_BASE_URL: model.url, TETHER_MODEL: 'scripted-model', PATH: '/usr/bin:/bin' };
  const editor = () => AgentProcess.start({ args: ['acp'], home, env, cwd: elsewhere });
  return { home, workspace, model, editor };
}

/** Every `_meta.tether.seq` the editor received for `sessionId`, in arrival order. */
function seqsSeen(editor: AgentProcess, sessionId: string): number[] {
  return editor
    .messages('agent->client')
    .filter((m) => m.method === 'session/update' && (m.params as { sessionId?: string }).sessionId === sessionId)
    .map((m) => (m.params as { _meta?: { tether?: { seq?: number } } })._meta?.tether?.seq ?? -1);
}

/**
 * The editor saw every update the daemon logged for the session, once each and in order, except
 * the echo of its own prompts (the daemon does not send a client's user_message_chunk back to it).
 */
function assertNoGapNoDuplicate(editor: AgentProcess, home: string, sessionId: string): void {
  const logged = readFileSync(join(home, 'sessions', `${sessionId}.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { t: string; seq?: number; update?: { sessionUpdate: string } })
    .filter((record) => record.t === 'update' && record.update?.sessionUpdate !== 'user_message_chunk')
    .map((record) => record.seq);
  const seen = seqsSeen(editor, sessionId);
  assert.ok(seen.length > 0, 'some updates were seen');
  assert.deepEqual(seen, logged, `seen ${seen.join(',')}`);
}

function agentText(updates: acp.SessionUpdate[]): string {
  return updates
    .filter((u) => u.sessionUpdate === 'agent_message_chunk')
    .map((u) => ((u as { content: { text?: string } }).content.text ?? ''))
    .join('');
}

test('through the bridge and the daemon it starts: tools, a permission, cancel, and load from a second editor', async () => {
  const { home, workspace, editor: spawnEditor } = await setup([
    { text: 'Reading the notes.', toolCalls: [{ name: 'read_file', arguments: { path: 'notes.md' } }] },
    { text: 'Writing a summary.', toolCalls: [{ name: 'write_file', arguments: { path: 'summary.md', content: 'milk\n' } }] },
    { text: 'Done: summary.md written.' },
    { text: 'Thinking for a long time. ', hang: true },
  ]);
  const coldStart = performance.now();
  const editor = spawnEditor();
  let second: AgentProcess | undefined;
  try {
    const init = await editor.initialize();
    console.log(`first editor: spawn → initialize answered in ${(performance.now() - coldStart).toFixed(0)} ms (daemon started by the bridge)`);
    assert.equal(init.agentInfo?.name, 'tether');
    const daemon = discovery(home);
    assert.ok(daemon && alive(daemon.pid), 'the bridge started a daemon and it wrote the discovery file');
    assert.notEqual(daemon.pid, editor.pid, 'the agent runs in the daemon, not in the process the editor spawned');

    const { sessionId } = await editor.newSession(workspace);
    const first = await editor.prompt(sessionId, 'Summarize my notes into summary.md');
    assert.equal(first.stopReason, 'end_turn');
    assert.deepEqual(editor.permissionRequests.map((r) => r.toolCall.kind), ['edit']);
    assert.equal(readFileSync(join(workspace, 'summary.md'), 'utf8'), 'milk\n');

    const cancelled = editor.prompt(sessionId, 'Think hard');
    await editor.waitFor(() => agentText(editor.updatesFor(sessionId)).includes('Thinking'), 'the hanging turn to stream');
    await editor.rawNotify('session/cancel', { sessionId });
    assert.equal((await cancelled).stopReason, 'cancelled');
    assertNoGapNoDuplicate(editor, home, sessionId);

    const warmStart = performance.now();
    second = spawnEditor();
    await second.initialize();
    console.log(`second editor: spawn → initialize answered in ${(performance.now() - warmStart).toFixed(0)} ms (daemon running)`);
    assert.equal(discovery(home)?.pid, daemon.pid, 'the second editor shares the running daemon');
    await second.agent.request('session/load', { sessionId, cwd: workspace, mcpServers: [] });
    assert.match(agentText(second.updatesFor(sessionId)), /Done: summary\.md written\./);

    assert.deepEqual(editor.schemaProblems, []);
    assert.deepEqual(second.schemaProblems, []);
    assert.equal((await editor.stop()).code, 0);
    assert.equal((await second.stop()).code, 0);
    assert.ok(alive(daemon.pid), 'the daemon outlives its editors');
  } finally {
    await editor.kill();
    await second?.kill();
  }
});

test('SIGKILL of the daemon mid-turn: the bridge restarts it, the prompt fails cleanly, the session goes on without a gap', async () => {
  const { home, workspace, editor: spawnEditor } = await setup([
    { text: 'Running a long command.', toolCalls: [{ name: 'shell', arguments: { command: 'sleep 20' } }] },
    { text: 'Back after the restart.' },
  ]);
  const editor = spawnEditor();
  try {
    await editor.initialize();
    const { sessionId } = await editor.newSession(workspace);
    await editor.agent.request('session/set_mode', { sessionId, modeId: 'bypass' });
    const running = editor.prompt(sessionId, 'Run the long command').then(
      (response) => ({ response, error: undefined }),
      (error: unknown) => ({ response: undefined, error: error as { code?: number; message?: string } }),
    );
    const shellCall = () => editor.updatesFor(sessionId).find((u) => u.sessionUpdate === 'tool_call' && u.kind === 'execute') as acp.ToolCall | undefined;
    const shellStatus = (status: string) =>
      editor.updatesFor(sessionId).some((u) => u.sessionUpdate === 'tool_call_update' && u.toolCallId === shellCall()?.toolCallId && u.status === status);
    await editor.waitFor(() => shellStatus('in_progress'), 'the shell command to run');

    const killed = discovery(home)!;
    process.kill(killed.pid, 'SIGKILL');
    const outcome = await running;
    assert.equal(outcome.response, undefined, 'the interrupted prompt does not pretend to have finished');
    assert.equal(outcome.error?.code, -32603);
    assert.match(String(outcome.error?.message), /daemon restarted; the turn was interrupted/);

    await until(() => {
      const now = discovery(home);
      return Boolean(now && now.pid !== killed.pid && alive(now.pid));
    }, 'the bridge to start a new daemon');
    // The missed tail arrives without the editor asking: the crash repair closes the shell call.
    await editor.waitFor(() => shellStatus('failed'), 'the interrupted shell call to be closed as failed', 15_000);

    const again = await editor.prompt(sessionId, 'Carry on');
    assert.equal(again.stopReason, 'end_turn');
    assert.match(agentText(editor.updatesFor(sessionId)), /Back after the restart\./);
    assertNoGapNoDuplicate(editor, home, sessionId);
    assert.equal(editor.exitInfo, undefined, 'the bridge the editor spawned never exited');
    assert.deepEqual(editor.schemaProblems, []);
    assert.equal((await editor.stop()).code, 0);
  } finally {
    await editor.kill();
  }
});
