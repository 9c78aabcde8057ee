// Load: 100 concurrent sessions × 20 tool calls through one daemon, over 10 WebSocket clients.
// Every turn must end normally and no update may reach a session (or client) it is not for.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startScriptedChatServer } from '../../server/demo/scripted-chat-server';
import { DaemonProcess, WsClient } from '../support/daemon-process';

const CLIENTS = 10;
const SESSIONS_PER_CLIENT = 10;
const TOOL_CALLS = 20;

test('100 concurrent sessions × 20 tool calls: no errors, no update in the wrong session', { timeout: 240_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'tether-load-'));
  const workspace = mkdtempSync(join(root, 'ws-'));
  writeFileSync(join(workspace, 'notes.txt'), 'load test\n');
  // Each session's model answers with the marker of that session's own prompt.
  const model = await startScriptedChatServer({
    script: (request) => {
      const messages = request.body.messages as Array<{ role: string; content: unknown }>;
      const done = messages.filter((m) => m.role === 'tool').length;
      const marker = String(JSON.stringify(messages.find((m) => m.role === 'user')?.content)).match(/marker-\d+/)?.[0] ?? 'none';
      if (done >= TOOL_CALLS) return { text: `Done ${marker}` };
      return { toolCalls: [{ name: 'read_file', arguments: { path: 'notes.txt' } }] };
    },
  });
  const daemon = await DaemonProcess.start(join(root, 'home'), { OPENAI_BASE_URL: model.url, TETHER_MODEL: 'scripted-model' });
  const clients = Array.from({ length: CLIENTS }, () => new WsClient(daemon));
  try {
    await Promise.all(clients.map((client) => client.initialize()));
    const sessions = await Promise.all(
      clients.map(async (client, c) =>
        Promise.all(
          Array.from({ length: SESSIONS_PER_CLIENT }, async (_, s) => {
            const { sessionId } = await client.agent.request('session/new', { cwd: workspace, mcpServers: [] });
            await client.agent.request('session/set_mode', { sessionId, modeId: 'bypass' });
            return { client, sessionId, marker: `marker-${c * SESSIONS_PER_CLIENT + s}` };
          }),
        ),
      ),
    );
    const all = sessions.flat();
    const results = await Promise.allSettled(
      all.map(({ client, sessionId, marker }) => client.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: `Work on ${marker}` }] })),
    );
    const failures = results.filter((r) => r.status === 'rejected' || r.value.stopReason !== 'end_turn');
    assert.equal(failures.length, 0, `failed turns: ${JSON.stringify(failures.slice(0, 3))}`);
    for (const { client, sessionId, marker } of all) {
      const text = client
        .updatesOf(sessionId)
        .map((n) => (n.update.sessionUpdate === 'agent_message_chunk' && n.update.content.type === 'text' ? n.update.content.text : ''))
        .join('');
      assert.equal(text, `Done ${marker}`);
      const toolCalls = client.updatesOf(sessionId).filter((n) => n.update.sessionUpdate === 'tool_call').length;
      assert.equal(toolCalls, TOOL_CALLS);
    }
    for (const client of clients) {
      const own = new Set(all.filter((entry) => entry.client === client).map((entry) => entry.sessionId));
      assert.ok(client.updates.every((n) => own.has(n.sessionId)), 'a client only hears about its own sessions');
      assert.deepEqual(client.problems, []);
    }
    assert.equal(model.requests.length, all.length * (TOOL_CALLS + 1));
  } finally {
    for (const client of clients) client.close();
    await daemon.kill('SIGTERM');
    await model.close();
    rmSync(root, { recursive: true, force: true });
  }
});
