import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { AgentProcess, permissionPolicy } from '../../support/agent-process';

const FAKE = fileURLToPath(new URL('./fixtures/fake-agent.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

describe('AgentProcess harness (against a fake SDK agent)', () => {
  const agent = AgentProcess.start({ command: [process.execPath, '--import', TSX, FAKE] });
  after(() => agent.kill());

  it('captures and validates both directions and collects updates', async () => {
    const init = await agent.initialize();
    assert.equal(init.agentInfo?.name, 'fake');
    const { sessionId } = await agent.newSession('/tmp');
    const result = await agent.prompt(sessionId, 'hi');
    assert.equal(result.stopReason, 'end_turn');
    assert.deepEqual(agent.updatesFor(sessionId), [{ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'echo: hi' } }]);
    assert.deepEqual(agent.schemaProblems, []);
    const methods = agent.messages('client->agent').map((m) => m.method);
    assert.deepEqual(methods, ['initialize', 'session/new', 'session/prompt']);
    assert.ok(agent.bytes.toAgent > 100 && agent.bytes.fromAgent > 100);
    assert.equal(agent.log.reduce((n, m) => n + m.bytes, 0), agent.bytes.toAgent + agent.bytes.fromAgent);
  });

  it('answers permission requests by the per-test policy', async () => {
    agent.onPermission = permissionPolicy.rejectOnce;
    await agent.prompt('sess-1', 'ask');
    assert.equal(agent.permissionRequests.length, 1);
    assert.deepEqual(agent.updatesFor('sess-1').at(-1), { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'chose no' } });
    agent.onPermission = permissionPolicy.option('yes');
    await agent.prompt('sess-1', 'ask');
    assert.match(JSON.stringify(agent.updatesFor('sess-1').at(-1)), /chose yes/);
  });

  it('sends raw garbage and bad requests past the SDK and gets JSON-RPC errors back', async () => {
    const parse = await agent.sendRaw('{not json');
    assert.equal((parse.error as { code: number }).code, -32700);
    const unknown = await agent.rawRequest('session/frobnicate', {});
    assert.equal((unknown.error as { code: number }).code, -32601);
    const bad = await agent.rawRequest('session/prompt', { sessionId: 42 });
    assert.equal((bad.error as { code: number }).code, -32602);
    assert.deepEqual(agent.schemaProblems, [], 'raw lines are not validated; the error answers are');
  });

  it('reports schema problems and stdout noise from the agent', async () => {
    await agent.prompt('sess-1', 'bad');
    await agent.prompt('sess-1', 'noise');
    const problems = agent.schemaProblems.join('\n');
    assert.match(problems, /update\/status: must be one of/);
    assert.match(problems, /line is not JSON: hello from console.log/);
  });

  it('stops cleanly when stdin closes', async () => {
    const info = await agent.stop();
    assert.equal(info.timedOut, false);
    assert.equal(info.code, 0);
  });
});
