import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { startScriptedResponsesServer, type ScriptedResponsesServer } from '../../../server/demo/scripted-responses-server';
import { createOpenAIResponsesProvider, type OpenAIResponsesOptions, type OpenAIResponsesProvider } from '../../../server/providers/openai-responses';
import { ProviderError } from '../../../server/providers/types';
import { callOnce, KEY, runConversation, toolScript, types } from './responses-helpers';

function assertReadable(error: unknown, code: ProviderError['code'], ...mentions: string[]): ProviderError {
  assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  assert.ok(!error.message.includes(KEY) && !error.message.includes('SECRET'), `the key leaked: ${error.message}`);
  for (const text of mentions) assert.ok(error.message.includes(text), `"${error.message}" should mention "${text}"`);
  return error;
}

describe('openai-responses over HTTP and the failures both transports share', () => {
  let server: ScriptedResponsesServer;
  const providers: OpenAIResponsesProvider[] = [];
  const provider = (options: Partial<OpenAIResponsesOptions> = {}) => {
    const created = createOpenAIResponsesProvider({ baseUrl: server.url, apiKey: KEY, models: ['m'], transport: 'http', encryptedReasoning: true, retryBaseMs: 5, ...options });
    providers.push(created);
    return created;
  };
  before(async () => {
    server = await startScriptedResponsesServer({ script: toolScript(3) });
  });
  afterEach(() => {
    for (const created of providers.splice(0)) created.releaseAll();
    server.requests.length = 0;
    server.upgrades.length = 0;
    for (const key of Object.keys(server.faults)) delete server.faults[Number(key)];
    server.rejectUpgrades(undefined);
  });
  after(() => server.close());

  it('sends the whole history every call, carrying encrypted reasoning without server ids', async () => {
    const result = await runConversation(provider(), 'Read all the files.');
    const requests = server.requests;
    assert.equal(requests.length, 4);
    requests.forEach((request, i) => {
      assert.equal(request.transport, 'http');
      assert.equal(request.body.stream, true);
      assert.equal(request.body.store, false);
      assert.deepEqual(request.body.include, ['reasoning.encrypted_content']);
      assert.equal(request.previousResponseId, undefined);
      assert.deepEqual(types(request.body.input), ['message', ...Array(i).fill(['reasoning', 'function_call', 'function_call_output']).flat()]);
      assert.deepEqual(result.metrics[i], { ...result.metrics[i]!, bytesSent: request.bytes, fullRequestBytes: request.bytes, chained: false });
    });
    const reasoning = requests[3]!.body.input.filter((item: { type: string }) => item.type === 'reasoning');
    assert.deepEqual(reasoning[1], {
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'I should read file 2.' }],
      encrypted_content: `enc:${Buffer.from('I should read file 2.').toString('base64')}`,
    });
    const call = requests[3]!.body.input.find((item: { type: string }) => item.type === 'function_call');
    assert.deepEqual(call, { type: 'function_call', call_id: 'call_1', name: 'read_file', arguments: '{"path":"src/file1.ts"}' });
    const final = result.items.at(-1);
    assert.equal(final?.type === 'assistant' && final.text, 'Read 3 files; all good.');
    assert.equal(final?.type === 'assistant' && final.thinking, 'Summing up.');
  });

  it('omits encrypted reasoning for models that reject it', async () => {
    await callOnce(provider({ encryptedReasoning: 'auto' }), { model: 'gpt-4.1-mini', instructions: '', tools: [], items: [{ type: 'user', parts: [{ type: 'text', text: 'hi' }] }] }, fresh());
    assert.equal('include' in server.requests[0]!.body, false);
    assert.equal('tools' in server.requests[0]!.body, false);
  });

  it('waits for retry-after on 429, then succeeds', async () => {
    server.faults[0] = { httpError: { status: 429, headers: { 'retry-after': '1' } } };
    // A huge backoff base proves the header, not the backoff, set the wait.
    await callOnce(provider({ retryBaseMs: 60_000 }), request(), fresh());
    const [limited, retried] = server.requests;
    const gap = retried!.receivedAt - limited!.receivedAt;
    assert.ok(gap >= 900 && gap < 3000, `waited ${gap} ms`);
    assert.equal(retried!.outcome, 'completed');
  });

  it('retries a 500 and gives up with a server error after maxRetries', async () => {
    server.faults[0] = { httpError: { status: 500 } };
    await callOnce(provider(), request(), fresh());
    assert.deepEqual(server.requests.map((r) => r.outcome), ['error', 'completed']);
    for (let i = 2; i < 5; i++) server.faults[i] = { httpError: { status: 503, body: { error: { message: 'overloaded' } } } };
    assertReadable(await callOnce(provider({ maxRetries: 2 }), request(), fresh()).catch((e: unknown) => e), 'server', '503', 'overloaded', 'after 2 retries');
  });

  it('401 gives a readable auth error that never repeats the key', async () => {
    server.faults[0] = { httpError: { status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}.`, code: 'invalid_api_key' } } } };
    const error = await callOnce(provider(), request(), fresh()).catch((e: unknown) => e);
    assertReadable(error, 'auth', 'OPENAI_API_KEY', 'Incorrect API key provided', '[redacted]');
  });

  it('401 on the WebSocket upgrade is the same readable error, without falling back to HTTP', async () => {
    server.rejectUpgrades(401);
    const error = await callOnce(provider({ transport: 'websocket' }), { ...request(), conversationId: 'c' }, fresh()).catch((e: unknown) => e);
    assertReadable(error, 'auth', 'OPENAI_API_KEY', server.url);
    assert.equal(server.requests.length, 0);
    assert.equal(server.upgrades.length, 1);
  });

  it('cancels a hanging HTTP stream promptly and the server sees the disconnect', async () => {
    server.faults[0] = { hang: true, text: 'tick ', chunkDelayMs: 20 };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = performance.now();
    const error = await callOnce(provider(), request(), fresh(), controller.signal).catch((e: unknown) => e);
    assertReadable(error, 'cancelled');
    assert.ok(performance.now() - started < 650);
    for (let i = 0; i < 50 && server.requests[0]!.disconnectedAt === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(server.requests[0]!.disconnectedAt);
  });

  it('fails with cancelled without sending anything when already aborted', async () => {
    for (const transport of ['http', 'websocket'] as const) {
      assertReadable(await callOnce(provider({ transport }), request(), fresh(), AbortSignal.abort()).catch((e: unknown) => e), 'cancelled');
    }
    assert.equal(server.requests.length, 0);
    assert.equal(server.upgrades.length, 0);
  });

  it('names the URL when nothing listens, and keeps credentials in the base URL out of messages', async () => {
    const baseUrl = 'http://user:SECRETpw@127.0.0.1:1/v1?key=SECRETq';
    for (const transport of ['http', 'websocket'] as const) {
      const error = await callOnce(provider({ baseUrl, transport, notice: () => {} }), request(), fresh()).catch((e: unknown) => e);
      assertReadable(error, 'network', 'http://127.0.0.1:1/v1');
    }
  });
});

function request() {
  return { model: 'm', instructions: 'x', tools: [], items: [{ type: 'user' as const, parts: [{ type: 'text' as const, text: 'hi' }] }] };
}

function fresh() {
  return { items: [], metrics: [], emittedCalls: [], retriedErrors: [] };
}
