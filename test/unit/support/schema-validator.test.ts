import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAcpValidator, validateAcpMessage } from '../../support/schema-validator';

const initialize = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: 1, clientCapabilities: { fs: { readTextFile: true, writeTextFile: true }, terminal: false } },
};
const initializeResult = {
  jsonrpc: '2.0',
  id: 0,
  result: {
    protocolVersion: 1,
    agentCapabilities: { loadSession: true, promptCapabilities: { embeddedContext: true } },
    authMethods: [{ id: 'openai-api-key', name: 'OpenAI API key', description: 'Set OPENAI_API_KEY' }],
    agentInfo: { name: 'tether', title: 'Tether', version: '0.1.0' },
  },
};
const update = (u: Record<string, unknown>) => ({ jsonrpc: '2.0', method: 'session/update', params: { sessionId: 's1', update: u } });

describe('validateAcpMessage: valid messages', () => {
  it('accepts an initialize exchange and matches the response to its request', () => {
    const v = createAcpValidator();
    assert.deepEqual(v.validate(initialize, 'client->agent'), []);
    assert.equal(v.pending.size, 1);
    assert.deepEqual(v.validate(initializeResult, 'agent->client'), []);
    assert.equal(v.pending.size, 0);
  });

  it('accepts session updates of several kinds', () => {
    const good = [
      update({ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'hi' } }),
      update({ sessionUpdate: 'tool_call', toolCallId: 't1', title: 'Read a.js', kind: 'read', status: 'pending', locations: [{ path: '/x/a.js', line: 3 }] }),
      update({ sessionUpdate: 'tool_call_update', toolCallId: 't1', status: 'completed', content: [{ type: 'diff', path: '/x/a.js', oldText: 'a', newText: 'b' }] }),
      update({ sessionUpdate: 'plan', entries: [{ content: 'Fix it', status: 'in_progress', priority: 'high' }] }),
      update({ sessionUpdate: 'current_mode_update', currentModeId: 'plan' }),
    ];
    for (const msg of good) assert.deepEqual(validateAcpMessage(msg, 'agent->client'), [], JSON.stringify(msg));
  });

  it('accepts a permission round trip (agent request, client response)', () => {
    const v = createAcpValidator();
    const request = {
      jsonrpc: '2.0',
      id: 7,
      method: 'session/request_permission',
      params: {
        sessionId: 's1',
        toolCall: { toolCallId: 't1', title: 'Run npm test', kind: 'execute', status: 'pending' },
        options: [
          { optionId: 'allow', name: 'Allow once', kind: 'allow_once' },
          { optionId: 'reject', name: 'Reject', kind: 'reject_once' },
        ],
      },
    };
    assert.deepEqual(v.validate(request, 'agent->client'), []);
    assert.deepEqual(v.validate({ jsonrpc: '2.0', id: 7, result: { outcome: { outcome: 'selected', optionId: 'allow' } } }, 'client->agent'), []);
  });

  it('accepts error responses, extension methods and session/cancel', () => {
    const v = createAcpValidator();
    assert.deepEqual(v.validate({ jsonrpc: '2.0', id: 3, method: '_tether/whatever', params: { any: 1 } }, 'client->agent'), []);
    assert.deepEqual(v.validate({ jsonrpc: '2.0', id: 3, error: { code: -32601, message: 'Method not found' } }, 'agent->client'), []);
    assert.deepEqual(v.validate({ jsonrpc: '2.0', method: 'session/cancel', params: { sessionId: 's1' } }, 'client->agent'), []);
    assert.deepEqual(v.validate({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }, 'agent->client'), []);
  });
});

describe('validateAcpMessage: invalid messages', () => {
  it('reports a bad enum value in a session update, against the right branch only', () => {
    const problems = validateAcpMessage(update({ sessionUpdate: 'tool_call', toolCallId: 't1', title: 'x', status: 'done' }), 'agent->client');
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0]!, /update\/status: must be one of "pending", "in_progress", "completed", "failed"/);
  });

  it('reports an unknown session update kind', () => {
    const problems = validateAcpMessage(update({ sessionUpdate: 'mode_changed', modeId: 'plan' }), 'agent->client');
    assert.ok(problems.some((p) => p.includes('sessionUpdate')), problems.join('\n'));
  });

  it('reports the modeId/currentModeId mix-up', () => {
    const problems = validateAcpMessage(update({ sessionUpdate: 'current_mode_update', modeId: 'plan' }), 'agent->client');
    assert.ok(problems.some((p) => p.includes("'currentModeId'")), problems.join('\n'));
  });

  it('reports missing required params and wrong types', () => {
    assert.ok(validateAcpMessage({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }, 'client->agent').some((p) => p.includes('protocolVersion')));
    const bad = { jsonrpc: '2.0', id: 2, method: 'session/new', params: { cwd: 42, mcpServers: [] } };
    assert.ok(validateAcpMessage(bad, 'client->agent').some((p) => p.includes('/cwd: must be string')));
  });

  it('reports a method sent the wrong way and an unknown method', () => {
    const wrongWay = validateAcpMessage({ jsonrpc: '2.0', method: 'session/update', params: { sessionId: 's', update: {} } }, 'client->agent');
    assert.match(wrongWay.join('\n'), /other way/);
    assert.match(validateAcpMessage({ jsonrpc: '2.0', id: 1, method: 'session/frobnicate', params: {} }, 'client->agent').join('\n'), /no ACP v1 request/);
  });

  it('checks a result against the method of the request it answers', () => {
    const v = createAcpValidator();
    v.validate({ jsonrpc: '2.0', id: 'a', method: 'session/new', params: { cwd: '/tmp', mcpServers: [] } }, 'client->agent');
    const problems = v.validate({ jsonrpc: '2.0', id: 'a', result: { session: 'x' } }, 'agent->client');
    assert.ok(problems.some((p) => p.includes('NewSessionResponse') && p.includes("'sessionId'")), problems.join('\n'));
  });

  it('reports a stop reason outside the closed list', () => {
    const v = createAcpValidator();
    v.validate({ jsonrpc: '2.0', id: 9, method: 'session/prompt', params: { sessionId: 's', prompt: [{ type: 'text', text: 'hi' }] } }, 'client->agent');
    const problems = v.validate({ jsonrpc: '2.0', id: 9, result: { stopReason: 'error' } }, 'agent->client');
    assert.match(problems.join('\n'), /stopReason/);
  });

  it('reports responses to unknown ids, JSON-RPC shape errors and bad error objects', () => {
    const v = createAcpValidator();
    assert.match(v.validate({ jsonrpc: '2.0', id: 99, result: {} }, 'agent->client').join('\n'), /answers no request/);
    assert.match(validateAcpMessage({ jsonrpc: '1.0', method: 'session/cancel', params: { sessionId: 's' } }, 'client->agent').join('\n'), /"jsonrpc" must be "2.0"/);
    assert.match(validateAcpMessage({ jsonrpc: '2.0', id: 1, result: {}, error: { code: 1, message: 'x' } }, 'agent->client').join('\n'), /exactly one/);
    assert.match(validateAcpMessage({ jsonrpc: '2.0', id: 1, error: { code: 'oops' } }, 'agent->client').join('\n'), /message|integer/);
    assert.match(validateAcpMessage([initialize], 'client->agent').join('\n'), /batches/);
    assert.match(validateAcpMessage('hello', 'client->agent').join('\n'), /JSON object/);
    assert.match(validateAcpMessage({ jsonrpc: '2.0' }, 'client->agent').join('\n'), /neither/);
  });

  it('keeps request ids of the two directions apart', () => {
    const v = createAcpValidator();
    v.validate({ jsonrpc: '2.0', id: 0, method: 'session/request_permission', params: { sessionId: 's', toolCall: { toolCallId: 't' }, options: [] } }, 'agent->client');
    // A response from the agent with id 0 does not answer the agent's own request.
    assert.match(v.validate({ jsonrpc: '2.0', id: 0, result: {} }, 'agent->client').join('\n'), /answers no request/);
    assert.deepEqual(v.validate({ jsonrpc: '2.0', id: 0, result: { outcome: { outcome: 'cancelled' } } }, 'client->agent'), []);
  });
});
