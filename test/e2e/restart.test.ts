// Crash safety through the built server: SIGKILL mid-turn, start again on the same TETHER_HOME,
// and session/load replays everything the client was shown before the kill, with the open
// tool call closed as interrupted, never left in progress.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type * as acp from '@agentclientprotocol/sdk';
import { startScriptedChatServer } from '../../server/demo/scripted-chat-server';
import { AgentProcess } from '../support/agent-process';

/** A comparable digest of a transcript: text joined per kind, tool calls with their last status. */
function digest(updates: acp.SessionUpdate[]) {
  const text: Record<string, string> = {};
  const tools = new Map<string, string | undefined>();
  for (const update of updates) {
    if (update.sessionUpdate.endsWith('_chunk')) {
      const content = (update as { content: { type: string; text?: string } }).content;
      text[update.sessionUpdate] = (text[update.sessionUpdate] ?? '') + (content.text ?? '');
    } else if (update.sessionUpdate === 'tool_call') tools.set(update.toolCallId, update.status ?? undefined);
    else if (update.sessionUpdate === 'tool_call_update' && update.status) tools.set(update.toolCallId, update.status);
  }
  return { text, tools: Object.fromEntries(tools) };
}

test('a SIGKILL mid-turn loses nothing the client saw; the load closes the open call as interrupted', async () => {
  const root = mkdtempSync(join(tmpdir(), 'tether-restart-'));
  const home = join(root, 'home');
  const workspace = mkdtempSync(join(root, 'ws-'));
  writeFileSync(join(workspace, 'notes.md'), '# Notes\nremember the milk\n');
  const model = await startScriptedChatServer({
    script: [
      { thinking: 'Let me look first.', text: 'Reading the notes.', toolCalls: [{ name: 'read_file', arguments: { path: 'notes.md' } }] },
      { text: 'Now a long command.', toolCalls: [{ name: 'shell', arguments: { command: 'sleep 30' } }] },
    ],
  });
  after(async () => {
    await model.close();
    rmSync(root, { recursive: true, force: true });
  });

  const first = AgentProcess.start({ home, env: { OPENAI_BASE_URL: model.url, TETHER_MODEL: 'scripted-model' } });
  await first.initialize();
  const { sessionId } = await first.newSession(workspace);
  await first.agent.request('session/set_mode', { sessionId, modeId: 'bypass' });
  void first.prompt(sessionId, 'Check my notes').catch(() => undefined);
  const shellRunning = () => {
    const updates = first.updatesFor(sessionId);
    const shell = updates.find((u) => u.sessionUpdate === 'tool_call' && u.kind === 'execute') as acp.ToolCall | undefined;
    return Boolean(shell && updates.some((u) => u.sessionUpdate === 'tool_call_update' && u.toolCallId === shell.toolCallId && u.status === 'in_progress'));
  };
  await first.waitFor(shellRunning, 'the shell command to be running');
  const seen = [...first.updatesFor(sessionId)];
  const killed = await first.kill();
  assert.equal(killed.signal, 'SIGKILL');

  const second = AgentProcess.start({ home, env: { OPENAI_BASE_URL: model.url, TETHER_MODEL: 'scripted-model' } });
  try {
    await second.initialize();
    await second.agent.request('session/load', { sessionId, cwd: workspace, mcpServers: [] });
    const replayed = second.updatesFor(sessionId).filter((u) => u.sessionUpdate !== 'available_commands_update');
    const before = digest(seen);
    const after = digest(replayed);
    // The log is written before each send, so it may hold a little more than the client received.
    assert.ok(after.text.agent_message_chunk?.startsWith(before.text.agent_message_chunk ?? '<none>'));
    assert.ok(after.text.agent_thought_chunk?.startsWith(before.text.agent_thought_chunk ?? '<none>'));
    assert.equal(after.text.user_message_chunk, 'Check my notes');
    const shellId = Object.keys(before.tools).find((id) => before.tools[id] === 'in_progress');
    assert.ok(shellId, 'the client saw the shell call running');
    for (const [id, status] of Object.entries(before.tools)) {
      assert.equal(after.tools[id], id === shellId ? 'failed' : status, `tool call ${id}`);
    }
    const closing = replayed.filter((u) => u.sessionUpdate === 'tool_call_update' && u.toolCallId === shellId).at(-1) as acp.ToolCallUpdate;
    assert.match(JSON.stringify(closing.content), /Interrupted/);
    assert.deepEqual(second.schemaProblems, []);
    assert.deepEqual(first.schemaProblems, []);
  } finally {
    await second.stop();
  }
});
