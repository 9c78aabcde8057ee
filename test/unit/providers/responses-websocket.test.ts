import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { startScriptedResponsesServer, type ScriptedResponsesServer } from '../../../server/demo/scripted-responses-server';
import { createOpenAIResponsesProvider, type OpenAIResponsesOptions, type OpenAIResponsesProvider } from '../../../server/providers/openai-responses';
import { comparable, KEY, runConversation, toolOutput, toolScript, TOOLS, types, withoutIds } from './responses-helpers';

describe('openai-responses over WebSocket: chaining', () => {
  let server: ScriptedResponsesServer;
  const providers: OpenAIResponsesProvider[] = [];
  const provider = (options: Partial<OpenAIResponsesOptions> = {}) => {
    const created = createOpenAIResponsesProvider({ baseUrl: server.url, apiKey: KEY, models: ['scripted-model'], encryptedReasoning: true, ...options });
    providers.push(created);
    return created;
  };
  before(async () => {
    server = await startScriptedResponsesServer({ script: toolScript(20) });
  });
  afterEach(() => {
    for (const created of providers.splice(0)) created.releaseAll();
    server.requests.length = 0;
  });
  after(() => server.close());

  it('runs 20 tool calls on one connection, each continuation carrying only the new function_call_output', async () => {
    const run = await runConversation(provider(), 'Read all the files.');
    const requests = server.requests;
    assert.equal(requests.length, 21);
    assert.ok(requests.every((r) => r.transport === 'websocket' && r.connectionId === requests[0]!.connectionId && r.outcome === 'completed'));
    assert.equal(requests[0]!.previousResponseId, undefined);
    assert.deepEqual(types(requests[0]!.body.input), ['message']);
    for (let i = 1; i < requests.length; i++) {
      const sent = requests[i]!;
      assert.equal(sent.previousResponseId, requests[i - 1]!.responseId, `request ${i} chains on the previous response`);
      assert.deepEqual(sent.body.input, [{ type: 'function_call_output', call_id: `call_${i}`, output: toolOutput(`call_${i}`) }]);
      // Settings are re-sent every time (the server does not inherit them) and byte-identical.
      assert.equal(sent.body.instructions, 'You are a careful coding agent.');
      assert.equal(JSON.stringify(sent.body.tools), JSON.stringify(requests[0]!.body.tools));
      assert.equal(sent.body.store, false);
      assert.equal('stream' in sent.body, false);
    }
    // The server answered every turn from the whole context, reasoning included.
    const last = requests.at(-1)!;
    assert.equal(last.input.filter((item) => item.type === 'function_call_output').length, 20);
    assert.equal(last.input.filter((item) => item.type === 'reasoning' && typeof item.encrypted_content === 'string').length, 20);
    assert.equal(run.emittedCalls.length, 20);
    assert.equal(new Set(run.emittedCalls).size, 20);
    const final = run.items.at(-1);
    assert.equal(final?.type === 'assistant' && final.text, 'Read 20 files; all good.');

    // Metrics agree with what the server saw, byte for byte, including the deflated frame size.
    run.metrics.forEach((metrics, i) => {
      assert.equal(metrics.bytesSent, requests[i]!.bytes);
      assert.equal(metrics.wireBytesSent, requests[i]!.wireBytes);
      assert.equal(metrics.chained, i > 0);
    });
    const chainedBytes = run.metrics.reduce((sum, m) => sum + m.bytesSent, 0);
    const fullBytes = run.metrics.reduce((sum, m) => sum + m.fullRequestBytes!, 0);
    const wireBytes = run.metrics.reduce((sum, m) => sum + m.wireBytesSent!, 0);
    console.log(`20 tool calls: chained ${chainedBytes} B JSON (${wireBytes} B on the wire) vs ${fullBytes} B stateless`);
    assert.ok(chainedBytes * 8 < fullBytes, `chained ${chainedBytes} B should be a small fraction of full ${fullBytes} B`);
    // A continuation is the settings plus the one new output: its size does not grow with the conversation.
    const continuations = run.metrics.slice(1).map((m) => m.bytesSent);
    assert.ok(Math.max(...continuations) - Math.min(...continuations) < 50, `continuations ${continuations.join(', ')}`);
    assert.ok(Math.max(...continuations) < toolOutput('call_1').length + 1200, 'a continuation adds little beyond the tool output');
  });

  it('reports the full request size an HTTP client would send for the same conversation', async () => {
    const overSocket = await runConversation(provider(), 'Read all the files.');
    server.requests.length = 0;
    await runConversation(provider({ transport: 'http' }), 'Read all the files.');
    const http = server.requests;
    assert.equal(http.length, overSocket.metrics.length);
    overSocket.metrics.forEach((metrics, i) => assert.equal(metrics.fullRequestBytes, http[i]!.bytes, `call ${i}`));
  });

  it('sends a new user message alone when the previous turn ended in text', async () => {
    const p = provider();
    const first = await runConversation(p, 'hello', { maxCalls: 40 });
    const before = server.requests.length;
    const history = [...first.items, { type: 'user' as const, parts: [{ type: 'text' as const, text: 'and once more?' }] }];
    await runConversation(p, 'ignored', { beforeCall: (_i, request) => ({ ...request, items: [...history, ...request.items.slice(1)] }) });
    const next = server.requests[before]!;
    assert.equal(next.previousResponseId, server.requests[before - 1]!.responseId);
    assert.deepEqual(next.body.input, [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'and once more?' }] }]);
  });

  it('sends a full request when the model, tools or instructions change, then chains again', async () => {
    const ls = { name: 'ls', description: 'Lists a directory', parameters: { type: 'object' } };
    const run = await runConversation(provider(), 'Read all the files.', {
      beforeCall: (index, request) => ({
        ...request,
        tools: index >= 3 ? [...TOOLS, ls] : request.tools,
        model: index >= 6 ? 'other-model' : request.model,
        instructions: index >= 9 ? 'Be brief.' : request.instructions,
      }),
    });
    const requests = server.requests;
    const full = requests.map((r, i) => (r.previousResponseId ? -1 : i)).filter((i) => i >= 0);
    assert.deepEqual(full, [0, 3, 6, 9]);
    for (const i of [3, 6, 9]) {
      assert.equal(requests[i]!.connectionId, requests[0]!.connectionId, 'a settings change needs no new connection');
      assert.deepEqual(withoutIds(requests[i]!.input), withoutIds(requests[i]!.body.input), 'a full request carries the whole context');
      assert.equal(requests[i]!.body.input.length, 1 + 3 * i, 'user message, then per call: reasoning, function_call, output');
    }
    assert.equal(run.metrics.filter((m) => m.chained).length, 17);
    // A full request of a long conversation deflates well on the socket.
    const big = run.metrics[9]!;
    assert.ok(big.wireBytesSent! * 2 < big.bytesSent, `deflated ${big.wireBytesSent} of ${big.bytesSent}`);
  });

  it('keeps conversations on separate connections and chains each on its own responses', async () => {
    const p = provider();
    const [a, b] = await Promise.all([
      runConversation(p, 'Read all the files.', { conversationId: 'a' }),
      runConversation(p, 'Read all the files.', { conversationId: 'b' }),
    ]);
    assert.deepEqual(comparable(a.items), comparable(b.items));
    const connections = new Set(server.requests.map((r) => r.connectionId));
    assert.equal(connections.size, 2);
    assert.equal(server.requests.filter((r) => r.previousResponseId).length, 40);
    assert.ok(server.requests.every((r) => r.outcome === 'completed'));
  });

  it('release() closes the connection and the next call starts a full request on a new one', async () => {
    const p = provider();
    await runConversation(p, 'Read all the files.', { maxCalls: 40 });
    assert.equal(server.openConnections(), 1);
    p.release('conversation-1');
    for (let i = 0; i < 50 && server.openConnections() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(server.openConnections(), 0);
    const before = server.requests.length;
    await runConversation(p, 'Read all the files.', { maxCalls: 1 }).catch(() => undefined);
    assert.equal(server.requests[before]!.previousResponseId, undefined);
    assert.notEqual(server.requests[before]!.connectionId, server.requests[0]!.connectionId);
  });

  it('sends the key on the upgrade and offers permessage-deflate', async () => {
    await runConversation(provider(), 'Read all the files.', { maxCalls: 40 });
    const upgrade = server.upgrades.at(-1)!;
    assert.equal(upgrade.status, 101);
    assert.equal(upgrade.authorization, `Bearer ${KEY}`);
    assert.match(upgrade.extensions ?? '', /permessage-deflate/);
  });
});
