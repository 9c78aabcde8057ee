// The built server over real stdio, driven by the SDK client through the harness: initialize,
// JSON-RPC errors for bad input (and it keeps serving), a whole recorded turn with and without
// the client's fs/terminal capabilities, and zero schema problems over every captured message.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DEMO_PROMPT, RECORDED_RUN_REQUESTS, recordedRun } from '../../server/demo/recorded-run';
import { startScriptedChatServer } from '../../server/demo/scripted-chat-server';
import { AgentProcess, REPO_ROOT, permissionPolicy } from '../support/agent-process';

type JsonRpcError = { code: number; message: string };
const errorOf = (response: Record<string, unknown>) => response.error as JsonRpcError | undefined;

function scratchProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tether-e2e-project-'));
  cpSync(join(REPO_ROOT, 'server/demo/example'), dir, { recursive: true });
  return dir;
}

describe('ACP basics over stdio', () => {
  const agent = AgentProcess.start();
  const workspace = mkdtempSync(join(tmpdir(), 'tether-e2e-ws-'));
  after(async () => {
    await agent.kill();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('rejects requests before initialize', async () => {
    const early = await agent.rawRequest('session/new', { cwd: workspace, mcpServers: [] });
    assert.ok(errorOf(early), `expected an error, got ${JSON.stringify(early)}`);
  });

  it('answers initialize with agentInfo, loadSession and auth methods', async () => {
    const init = await agent.initialize();
    assert.equal(init.protocolVersion, 1);
    assert.equal(init.agentInfo?.name, 'tether');
    assert.ok(init.agentInfo?.title, 'agentInfo.title');
    assert.match(init.agentInfo?.version ?? '', /^\d+\.\d+\.\d+/);
    assert.equal(init.agentCapabilities?.loadSession, true);
    assert.ok((init.authMethods ?? []).length > 0, 'authMethods is not empty');
  });

  it('answers a newer protocol version with its own', async () => {
    const response = await agent.rawRequest('initialize', { protocolVersion: 99, clientCapabilities: {} });
    assert.equal((response.result as { protocolVersion: number } | undefined)?.protocolVersion, 1, JSON.stringify(response));
  });

  it('answers a garbage line with -32700 and a batch with -32600', async () => {
    assert.equal(errorOf(await agent.sendRaw('{"jsonrpc":"2.0", this is not json'))?.code, -32700);
    assert.equal(errorOf(await agent.sendRaw('[{"jsonrpc":"2.0","id":1,"method":"initialize"}]'))?.code, -32600);
  });

  it('answers an unknown method with -32601', async () => {
    assert.equal(errorOf(await agent.rawRequest('session/frobnicate', {}))?.code, -32601);
    assert.equal(errorOf(await agent.rawRequest('_tether/no_such_extension', {}))?.code, -32601);
  });

  it('answers bad params with -32602', async () => {
    assert.equal(errorOf(await agent.rawRequest('session/new', { cwd: 42, mcpServers: [] }))?.code, -32602);
    assert.equal(errorOf(await agent.rawRequest('session/prompt', { sessionId: 'x' }))?.code, -32602);
  });

  it('answers an unknown session with -32002', async () => {
    const prompt = await agent.rawRequest('session/prompt', { sessionId: 'no-such-session', prompt: [{ type: 'text', text: 'hi' }] });
    assert.equal(errorOf(prompt)?.code, -32002, JSON.stringify(prompt));
    const mode = await agent.rawRequest('session/set_mode', { sessionId: 'no-such-session', modeId: 'plan' });
    assert.equal(errorOf(mode)?.code, -32002, JSON.stringify(mode));
    const load = await agent.rawRequest('session/load', { sessionId: 'no-such-session', cwd: workspace, mcpServers: [] });
    assert.equal(errorOf(load)?.code, -32002, JSON.stringify(load));
    await agent.rawNotify('session/cancel', { sessionId: 'no-such-session' });
  });

  it('keeps serving after all that', async () => {
    const session = await agent.newSession(workspace);
    assert.ok(session.sessionId);
    const modeOption = session.configOptions?.find((o) => o.category === 'mode');
    assert.ok(modeOption, 'a config option with category "mode"');
    assert.deepEqual(session.modes?.availableModes.map((m) => m.id).sort(), ['accept-edits', 'bypass', 'default', 'plan']);
  });

  it('explains what to configure when no model provider is set', async () => {
    const { sessionId } = await agent.newSession(workspace);
    const response = await agent.rawRequest('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'hello' }] });
    const said = JSON.stringify(agent.updatesFor(sessionId)) + JSON.stringify(response);
    assert.match(said, /OPENAI_API_KEY/, said);
  });

  it('sent nothing that breaks the schema, and exits when stdin ends', async () => {
    assert.deepEqual(agent.schemaProblems, []);
    const exit = await agent.stop();
    assert.equal(exit.timedOut, false, 'exited by itself after stdin closed');
    assert.equal(exit.code, 0, agent.stderr);
  });
});

async function recordedTurn(capabilities: { fs: boolean; terminal: boolean }) {
  const model = await startScriptedChatServer({ script: recordedRun({ chunkDelayMs: 0 }) });
  const project = scratchProject();
  const agent = AgentProcess.start({
    ...capabilities,
    env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'test', TETHER_PROVIDER: 'openai-chat', TETHER_MODEL: 'scripted-model' },
    onPermission: permissionPolicy.option(/accept/i, permissionPolicy.allowOnce),
  });
  try {
    await agent.initialize();
    const session = await agent.newSession(project);
    const modeOption = session.configOptions?.find((o) => o.category === 'mode');
    assert.ok(modeOption);
    await agent.agent.request('session/set_config_option', { sessionId: session.sessionId, configId: modeOption.id, value: 'plan' });
    const result = await agent.prompt(session.sessionId, DEMO_PROMPT);
    return { agent, model, project, sessionId: session.sessionId, result, stop: await agent.stop() };
  } finally {
    await agent.kill();
    await model.close();
  }
}

describe('a whole recorded turn through the harness', () => {
  const projects: string[] = [];
  after(() => projects.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('without client capabilities: local files and shell, valid messages throughout', async () => {
    const run = await recordedTurn({ fs: false, terminal: false });
    projects.push(run.project);
    assert.equal(run.result.stopReason, 'end_turn');
    assert.equal(run.model.requests.length, RECORDED_RUN_REQUESTS);
    assert.match(readFileSync(join(run.project, 'src/parse-duration.js'), 'utf8'), /\(ms\|h\|m\|s\|d\)/);
    assert.deepEqual(run.agent.clientSide.calls, []);
    assert.deepEqual(run.agent.schemaProblems, []);
    const kinds = run.agent.updatesFor(run.sessionId).map((u) => u.sessionUpdate);
    for (const kind of ['tool_call', 'tool_call_update', 'plan', 'current_mode_update', 'agent_message_chunk']) assert.ok(kinds.includes(kind as never), kind);
    // The exit-plan question, then the shell command (accept-edits asks before shell only).
    assert.deepEqual(run.agent.permissionRequests.map((r) => r.toolCall.kind), ['switch_mode', 'execute']);
  });

  it('with fs and terminal advertised: the agent goes through the client', async () => {
    const run = await recordedTurn({ fs: true, terminal: true });
    projects.push(run.project);
    assert.equal(run.result.stopReason, 'end_turn');
    assert.deepEqual(run.agent.schemaProblems, []);
    const methods = new Set(run.agent.clientSide.calls.map((c) => c.method));
    assert.ok(methods.has('fs/read_text_file'), [...methods].join(', '));
    assert.ok(methods.has('fs/write_text_file'), [...methods].join(', '));
    assert.ok(methods.has('terminal/create'), [...methods].join(', '));
    assert.match(readFileSync(join(run.project, 'src/parse-duration.js'), 'utf8'), /\(ms\|h\|m\|s\|d\)/);
    // The shell result the model got back came from the client's terminal.
    const toolResults = run.model.requests.flatMap((r) => (r.body.messages as Array<{ role: string; content: unknown }>).filter((m) => m.role === 'tool'));
    assert.ok(toolResults.some((m) => /# pass 5/.test(String(m.content))), 'the model saw the passing test run');
  });
});
