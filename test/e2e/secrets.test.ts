// Provider keys must never leave the process: not in TETHER_HOME (session logs, index, config),
// not in any ACP message in either direction, not on stderr. The server runs with random
// OPENAI_API_KEY / ANTHROPIC_API_KEY against the scripted model server on loopback.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startScriptedChatServer, type ChatScript } from '../../server/demo/scripted-chat-server';
import { AgentProcess, permissionPolicy } from '../support/agent-process';

const OPENAI_KEY = `sk-test-${randomBytes(16).toString('hex')}`;
const ANTHROPIC_KEY = `sk-ant-test-${randomBytes(16).toString('hex')}`;
const KEYS = [OPENAI_KEY, ANTHROPIC_KEY];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  });
}

/** Every place the keys showed up: files under home, ACP lines (both ways), stderr. */
function leaks(agent: AgentProcess, home: string): string[] {
  const found: string[] = [];
  for (const file of filesUnder(home)) {
    const text = readFileSync(file).toString('latin1');
    for (const key of KEYS) if (text.includes(key)) found.push(`${file.slice(home.length)} (${statSync(file).size} bytes) holds ${key.slice(0, 10)}…`);
  }
  for (const entry of agent.log) for (const key of KEYS) if (entry.line.includes(key)) found.push(`ACP ${entry.direction} #${entry.seq}: ${entry.line.slice(0, 160)}`);
  for (const key of KEYS) if (agent.stderr.includes(key)) found.push(`stderr: …${agent.stderr.slice(Math.max(0, agent.stderr.indexOf(key) - 100), agent.stderr.indexOf(key) + 60)}`);
  return found;
}

async function run(script: ChatScript, drive: (agent: AgentProcess, sessionId: string) => Promise<void>) {
  const root = mkdtempSync(join(tmpdir(), 'tether-secrets-'));
  const home = join(root, 'home');
  const model = await startScriptedChatServer({ script });
  const agent = AgentProcess.start({
    home,
    cwd: root,
    env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY, TETHER_PROVIDER: 'openai-chat', TETHER_MODEL: 'scripted-model' },
    onPermission: permissionPolicy.allowOnce,
  });
  try {
    await agent.initialize();
    const { sessionId } = await agent.newSession(root);
    await drive(agent, sessionId);
    const exit = await agent.stop();
    assert.equal(exit.code, 0, agent.stderr);
    return { agent, model, home, root };
  } catch (error) {
    await agent.kill();
    throw error;
  } finally {
    await model.close();
  }
}

describe('provider keys never leak', () => {
  const roots: string[] = [];
  after(() => roots.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('a tool call and a 401 from the model (whose body echoes the key): the key appears nowhere', { timeout: 30_000 }, async () => {
    const script: ChatScript = (_request, index) => {
      if (index === 0) return { toolCalls: [{ name: 'shell', arguments: { command: 'printf "ran-%s" ok' } }] };
      if (index === 1) return { text: 'done' };
      return { httpError: { status: 401, body: { error: { message: `Incorrect API key provided: ${OPENAI_KEY}.`, type: 'invalid_request_error', code: 'invalid_api_key' } } } };
    };
    const { agent, model, home, root } = await run(script, async (agent, sessionId) => {
      await agent.agent.request('session/set_mode', { sessionId, modeId: 'bypass' });
      assert.equal((await agent.prompt(sessionId, 'run it')).stopReason, 'end_turn');
      await assert.rejects(agent.prompt(sessionId, 'again'), (error: { code?: number }) => error.code === -32000);
    });
    roots.push(root);
    // The key did go where it belongs: the Authorization header of every model request.
    assert.ok(model.requests.length >= 3 && model.requests.every((r) => r.headers.authorization === `Bearer ${OPENAI_KEY}`));
    assert.ok(model.requests[1]!.body.messages.some((m: { role: string; content: unknown }) => m.role === 'tool' && /ran-ok/.test(String(m.content))), 'the tool ran');
    assert.ok(filesUnder(home).length > 0, 'the session log was written');
    assert.deepEqual(leaks(agent, home), []);
  });

  it(
    'a shell command that prints the environment (bypass mode): the key appears nowhere',
    { timeout: 30_000 },
    async () => {
      const script: ChatScript = (_request, index) =>
        index === 0 ? { toolCalls: [{ name: 'shell', arguments: { command: 'env' } }] } : { text: 'done' };
      const { agent, model, home, root } = await run(script, async (agent, sessionId) => {
        await agent.agent.request('session/set_mode', { sessionId, modeId: 'bypass' });
        assert.equal((await agent.prompt(sessionId, 'print env')).stopReason, 'end_turn');
      });
      roots.push(root);
      const toolOutput = model.requests[1]!.body.messages.filter((m: { role: string }) => m.role === 'tool').map((m: { content: unknown }) => String(m.content)).join('\n');
      assert.match(toolOutput, /PATH=/, 'env ran and its output went back to the model');
      assert.deepEqual(leaks(agent, home), []);
    },
  );
});
