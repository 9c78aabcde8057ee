import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, before, describe, it } from 'node:test';
import {
  startScriptedResponsesServer,
  type RecordedResponsesRequest,
  type ScriptedResponsesServer,
  type ScriptedResponsesServerOptions,
} from '../../../server/demo/scripted-responses-server';
import { createOpenAIResponsesProvider, type OpenAIResponsesOptions, type OpenAIResponsesProvider } from '../../../server/providers/openai-responses';
import { ProviderError, type ModelRequest } from '../../../server/providers/types';
import { callOnce, comparable, KEY, runConversation, toolScript, withoutIds, type RunOptions, type RunResult } from './responses-helpers';

const CALLS = 8;
const servers: ScriptedResponsesServer[] = [];
const providers: OpenAIResponsesProvider[] = [];
let notices: string[] = [];

async function setup(serverOptions: Partial<ScriptedResponsesServerOptions> = {}, options: Partial<OpenAIResponsesOptions> = {}) {
  const server = await startScriptedResponsesServer({ script: toolScript(CALLS), ...serverOptions });
  servers.push(server);
  const provider = createOpenAIResponsesProvider({
    baseUrl: server.url,
    apiKey: KEY,
    models: ['scripted-model'],
    encryptedReasoning: true,
    retryBaseMs: 5,
    notice: (message) => notices.push(message),
    ...options,
  });
  providers.push(provider);
  return { server, provider };
}

let baseline: unknown[];

/** The conversation came out as if nothing had happened, and no tool call was emitted twice. */
function assertUndisturbed(run: RunResult): void {
  assert.deepEqual(comparable(run.items), baseline);
  assert.equal(new Set(run.emittedCalls).size, run.emittedCalls.length, `tool calls emitted twice: ${run.emittedCalls.join(', ')}`);
  assert.equal(run.emittedCalls.length, CALLS);
}

/** The request is a full one: no previous_response_id, and it carries the whole context itself. */
function assertFull(request: RecordedResponsesRequest | undefined, label: string): void {
  assert.ok(request, `${label}: no such request`);
  assert.equal(request.previousResponseId, undefined, `${label} must not chain`);
  assert.deepEqual(withoutIds(request.input), withoutIds(request.body.input), `${label} carries the whole context`);
  assert.ok(request.body.input.length > 1, `${label} carries history`);
}

async function run(provider: OpenAIResponsesProvider, options: RunOptions = {}): Promise<RunResult> {
  return runConversation(provider, 'Read all the files.', options);
}

describe('openai-responses over WebSocket: recovery', () => {
  before(async () => {
    const { provider } = await setup();
    baseline = comparable((await run(provider)).items);
  });
  afterEach(async () => {
    for (const provider of providers.splice(0)) provider.releaseAll();
    await Promise.all(servers.splice(0).map((server) => server.close()));
    notices = [];
  });

  it('reconnects with a full request when the socket dropped between calls', async () => {
    const { server, provider } = await setup();
    const result = await run(provider, { beforeCall: (index) => (index === 4 ? server.dropConnections() : undefined) });
    assertUndisturbed(result);
    assert.deepEqual(result.retriedErrors, []);
    const resumed = server.requests.findIndex((r) => r.connectionId === 2);
    assertFull(server.requests[resumed], 'first request on the new connection');
    assert.ok(server.requests.slice(resumed + 1).every((r) => r.previousResponseId && r.connectionId === 2), 'chains again afterwards');
  });

  it('resends transparently when the socket drops before any event of the response', async () => {
    const { server, provider } = await setup({ faults: { 4: { dropAfterEvents: 0 } } });
    const result = await run(provider);
    assertUndisturbed(result);
    assert.deepEqual(result.retriedErrors, []);
    assert.equal(server.requests[4]!.outcome, 'dropped');
    assertFull(server.requests[5], 'the resend');
    assert.equal(server.requests[5]!.connectionId, 2);
  });

  it('fails with a retryable network error, never duplicating, when the socket drops after events were yielded', async () => {
    const { server, provider } = await setup({ faults: { 4: { dropAfterEvents: 5 } } });
    const result = await run(provider);
    assertUndisturbed(result);
    assert.equal(result.retriedErrors.length, 1);
    const [error] = result.retriedErrors;
    assert.equal(error!.code, 'network');
    assert.ok(error!.retryable);
    assert.match(error!.message, /closed mid-response/);
    assertFull(server.requests[5], 'the caller’s retry');
  });

  it('answers previous_response_not_found with a full request on a new connection', async () => {
    const { server, provider } = await setup();
    const result = await run(provider, { beforeCall: (index) => (index === 4 ? server.evictCaches() : undefined) });
    assertUndisturbed(result);
    assert.equal(server.requests[4]!.errorCode, 'previous_response_not_found');
    assertFull(server.requests[5], 'the resend');
    assert.equal(server.requests[5]!.connectionId, 2);
  });

  it('after a failed turn (which evicts the cache) resends in full; a non-retryable failure reaches the caller', async () => {
    const { server, provider } = await setup({ faults: { 4: { fail: { code: 'server_error' } } } });
    const result = await run(provider);
    assertUndisturbed(result);
    assert.equal(server.requests[4]!.outcome, 'failed');
    assertFull(server.requests[5], 'the resend after the failed turn');
    assert.ok(server.requests[6]!.previousResponseId, 'chains again afterwards');

    server.faults[server.requests.length] = { fail: { code: 'invalid_prompt', message: 'Invalid prompt: flagged.' } };
    const error = await run(provider, { conversationId: 'other' }).catch((caught: unknown) => caught);
    assert.ok(error instanceof ProviderError && error.code === 'bad_request', String(error));
    assert.match(error.message, /invalid_prompt.*flagged/);
    const after = await run(provider, { conversationId: 'other' });
    assert.deepEqual(comparable(after.items), baseline);
  });

  it('reconnects when a request hits websocket_connection_limit_reached', async () => {
    const { server, provider } = await setup({ faults: { 4: { connectionLimit: true } } });
    const result = await run(provider);
    assertUndisturbed(result);
    assert.equal(server.requests[4]!.errorCode, 'websocket_connection_limit_reached');
    assertFull(server.requests[5], 'the resend');
    assert.equal(server.requests[5]!.connectionId, 2);
  });

  it('reconnects when the connection reached its time limit while idle', async () => {
    const { server, provider } = await setup({ connectionLimitMs: 300 });
    const result = await run(provider, { beforeCall: (index) => (index === 3 ? sleep(400).then(() => undefined) : undefined) });
    assertUndisturbed(result);
    const resumed = server.requests.findIndex((r) => r.connectionId === 2);
    assert.ok(resumed > 0, 'a second connection was opened');
    assertFull(server.requests[resumed], 'first request on the new connection');
  });

  it('retries an in-stream 429 after a backoff, as a full request', async () => {
    const { server, provider } = await setup({ faults: { 4: { httpError: { status: 429 } } } });
    const result = await run(provider);
    assertUndisturbed(result);
    assert.equal(server.requests[4]!.errorCode, 'rate_limit_exceeded');
    assertFull(server.requests[5], 'the retry');
  });

  it('falls back to HTTP for the rest of the conversation on 426, with one notice', async () => {
    const { server, provider } = await setup();
    const result = await run(provider, {
      beforeCall: (index) => {
        if (index === 4) {
          server.rejectUpgrades(426);
          server.dropConnections();
        }
        if (index === 6) server.rejectUpgrades(undefined);
      },
    });
    assertUndisturbed(result);
    const transports = server.requests.map((r) => r.transport);
    assert.deepEqual(transports, [...Array(4).fill('websocket'), ...Array(CALLS + 1 - 4).fill('http')]);
    assert.ok(server.requests.slice(4).every((r) => r.input.length === r.body.input.length), 'HTTP requests are full');
    assert.equal(server.upgrades.filter((u) => u.status === 426).length, 1);
    await run(provider, { conversationId: 'second' });
    assert.equal(notices.length, 1, notices.join('\n'));
    assert.match(notices[0]!, /426/);
    assert.ok(!notices[0]!.includes(KEY));
  });

  it('falls back to HTTP after 3 failed connection attempts in a row', async () => {
    const { server, provider } = await setup();
    server.rejectUpgrades(503);
    const result = await run(provider);
    assertUndisturbed(result);
    assert.equal(server.upgrades.length, 3);
    assert.ok(server.requests.every((r) => r.transport === 'http'));
    assert.match(notices[0] ?? '', /3 connection attempts failed/);
  });

  it('cancels a hanging response promptly, closes the socket and starts the next call in full', async () => {
    const { server, provider } = await setup({ faults: { 3: { hang: true, text: 'tick ', chunkDelayMs: 20 } } });
    const controller = new AbortController();
    let abortedAt = 0;
    let cancelled: ModelRequest | undefined;
    const error = await run(provider, {
      signal: controller.signal,
      beforeCall: (index, request) => {
        if (index !== 3) return;
        cancelled = request;
        setTimeout(() => ((abortedAt = performance.now()), controller.abort()), 150);
      },
    }).catch((caught: unknown) => caught);
    assert.ok(error instanceof ProviderError && error.code === 'cancelled', String(error));
    assert.ok(performance.now() - abortedAt < 500, 'stopped at once');
    for (let i = 0; i < 50 && server.requests[3]!.disconnectedAt === undefined; i++) await sleep(10);
    assert.ok(server.requests[3]!.disconnectedAt, 'the server saw the connection close');
    assert.equal(server.requests.length, 4, 'nothing more was sent');
    // The loop keeps no tool calls from a cancelled reply, so the same history goes out again.
    const retry = await callOnce(provider, cancelled!, { items: [], metrics: [], emittedCalls: [], retriedErrors: [] });
    assert.deepEqual(retry.toolCalls.map((call) => call.id), ['call_4']);
    assertFull(server.requests[4], 'the call after the cancel');
    assert.equal(server.requests[4]!.connectionId, 2);
  });
});
