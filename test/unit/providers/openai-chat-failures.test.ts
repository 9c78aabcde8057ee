import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startScriptedChatServer, type ScriptedChatServer, type ScriptedResponse } from '../../../server/demo/scripted-chat-server';
import { createOpenAIChatProvider, type OpenAIChatOptions } from '../../../server/providers/openai-chat';
import { ProviderError } from '../../../server/providers/types';
import { API_KEY, collect, failure, request, sseFetch, textOf } from './helpers';

function assertProviderError(error: unknown, code: ProviderError['code'], ...mentions: string[]): ProviderError {
  assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  assert.ok(!error.message.includes(API_KEY), `the key leaked: ${error.message}`);
  assert.ok(!error.message.includes('SECRET'), `part of the key leaked: ${error.message}`);
  for (const text of mentions) assert.ok(error.message.includes(text), `"${error.message}" should mention "${text}"`);
  return error;
}

describe('openai-chat provider failures', () => {
  let server: ScriptedChatServer;
  const queue: ScriptedResponse[] = [];
  before(async () => {
    server = await startScriptedChatServer({ script: () => queue.shift() ?? { text: 'default' } });
  });
  after(() => server.close());
  const provider = (options: Partial<OpenAIChatOptions> = {}) =>
    createOpenAIChatProvider({ baseUrl: server.url, apiKey: API_KEY, models: ['scripted-model'], retryBaseMs: 5, ...options });

  it('401 says to check OPENAI_API_KEY and never repeats the key', async () => {
    queue.push({ httpError: { status: 401, body: { error: { message: `Incorrect API key provided: ${API_KEY}.`, type: 'invalid_request_error', code: 'invalid_api_key' } } } });
    const error = assertProviderError(await failure(provider()), 'auth', 'OPENAI_API_KEY', 'Incorrect API key provided', '[redacted]');
    assert.equal(error.status, 401);
    queue.push({ httpError: { status: 403, body: 'Forbidden' } });
    assertProviderError(await failure(provider()), 'auth', 'OPENAI_API_KEY', 'Forbidden');
  });

  it('404 names the base URL and model and suggests OPENAI_BASE_URL and TETHER_MODEL', async () => {
    const wrongBase = server.url.replace(/\/v1$/, '');
    const error = await failure(provider({ baseUrl: wrongBase }), request({ model: 'no-such-model' }));
    assertProviderError(error, 'not_found', wrongBase, 'no-such-model', 'OPENAI_BASE_URL', 'TETHER_MODEL', 'Unknown request URL');
    queue.push({ httpError: { status: 404, body: { error: { message: "model 'llama9' not found, try pulling it first" } } } });
    assertProviderError(await failure(provider(), request({ model: 'llama9' })), 'not_found', "model 'llama9' not found");
  });

  it('400 carries the server message and is not retried', async () => {
    const before = server.requests.length;
    queue.push({ httpError: { status: 400, body: { error: { message: 'max_tokens is too large: 999999', type: 'invalid_request_error' } } } });
    assertProviderError(await failure(provider()), 'bad_request', 'max_tokens is too large: 999999');
    assert.equal(server.requests.length - before, 1);
  });

  it('waits for retry-after on 429, then succeeds', async () => {
    const before = server.requests.length;
    queue.push({ httpError: { status: 429, headers: { 'retry-after': '1' } } }, { text: 'after the wait' });
    // A huge backoff base proves the header, not the backoff, set the wait.
    const events = await collect(provider({ retryBaseMs: 60_000 }));
    assert.equal(textOf(events), 'after the wait');
    const [limited, retried] = server.requests.slice(before);
    const gap = retried!.receivedAt - limited!.receivedAt;
    assert.ok(gap >= 900 && gap < 3000, `waited ${gap} ms`);
  });

  it('gives up on 429 after maxRetries with rate_limited', async () => {
    queue.push(...Array.from({ length: 2 }, () => ({ httpError: { status: 429, headers: { 'retry-after': '0' } } })));
    assertProviderError(await failure(provider({ maxRetries: 1 })), 'rate_limited', '429', 'after 1 retry');
  });

  it('retries 500 with backoff, then fails with server', async () => {
    const before = server.requests.length;
    queue.push(...Array.from({ length: 3 }, () => ({ httpError: { status: 503, body: { error: { message: 'overloaded' } } } })));
    assertProviderError(await failure(provider({ maxRetries: 2, retryBaseMs: 50 })), 'server', '503', 'overloaded', 'after 2 retries');
    const times = server.requests.slice(before).map((r) => r.receivedAt);
    assert.equal(times.length, 3);
    assert.ok(times[2]! - times[1]! >= 60, 'the second wait doubled the first');
  });

  it('cancels a hanging stream within a second and the server sees the disconnect', async () => {
    queue.push({ hang: true, text: 'tick ', chunkDelayMs: 20 });
    const controller = new AbortController();
    const stream = provider().stream(request(), controller.signal);
    let deltas = 0;
    let abortedAt = 0;
    let abortedWallClock = 0;
    const error = await (async () => {
      try {
        for await (const event of stream) {
          if (event.type === 'text_delta' && ++deltas === 3) {
            abortedAt = performance.now();
            abortedWallClock = Date.now();
            setTimeout(() => controller.abort(), 0);
          }
        }
      } catch (caught) {
        return caught;
      }
    })();
    assertProviderError(error, 'cancelled');
    assert.ok(performance.now() - abortedAt < 1000);
    const disconnected = await server.waitForDisconnect(1000);
    assert.ok(disconnected.disconnectedAt! - abortedWallClock < 1000, 'the server saw the disconnect promptly');
  });

  it('fails with cancelled without sending anything when already aborted', async () => {
    const before = server.requests.length;
    assertProviderError(await failure(provider(), request(), AbortSignal.abort()), 'cancelled');
    assert.equal(server.requests.length, before);
  });

  it('times out when the body goes silent', async () => {
    queue.push({ text: 'slow', chunkDelayMs: 5000 });
    const started = performance.now();
    assertProviderError(await failure(provider({ idleTimeoutMs: 200 })), 'timeout', server.url, '200 ms');
    assert.ok(performance.now() - started < 1500);
  });
});

describe('openai-chat provider without a scripted server', () => {
  let silent: Server;
  let silentUrl = '';
  before(async () => {
    // Accepts requests and never answers, not even with headers.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`;
  });
  after(() => {
    silent.closeAllConnections();
    silent.close();
  });

  it('times out when no headers arrive', async () => {
    const provider = createOpenAIChatProvider({ baseUrl: silentUrl, models: ['m'], idleTimeoutMs: 150 });
    assertProviderError(await failure(provider), 'timeout', silentUrl);
  });

  it('drains the body after [DONE], reusing connections and tolerating a server that never ends it', async () => {
    let connections = 0;
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}]}\n\n');
      setTimeout(() => {
        res.write('data: [DONE]\n\n');
        if (req.headers['x-never-end'] === undefined) setTimeout(() => res.end(), 5);
      }, 5);
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
      const provider = createOpenAIChatProvider({ baseUrl, models: ['m'] });
      for (let i = 0; i < 5; i++) assert.equal((await collect(provider)).at(-1)?.type, 'done');
      assert.ok(connections < 5, `${connections} connections for 5 calls`);
      const neverEnds: typeof fetch = (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as object), 'x-never-end': '1' } });
      const started = performance.now();
      const events = await collect(createOpenAIChatProvider({ baseUrl, models: ['m'], fetchImpl: neverEnds }));
      assert.equal(events.at(-1)?.type, 'done');
      assert.ok(performance.now() - started < 2500);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('reports a refused connection as network, naming the URL', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const baseUrl = `http://127.0.0.1:${port}/v1`;
    const provider = createOpenAIChatProvider({ baseUrl, apiKey: API_KEY, models: ['m'], maxRetries: 3 });
    const started = performance.now();
    assertProviderError(await failure(provider), 'network', baseUrl, 'connection refused', 'OPENAI_BASE_URL');
    assert.ok(performance.now() - started < 1000, 'a refused connection is not retried');
  });

  it('keeps credentials in the base URL out of messages', async () => {
    const provider = createOpenAIChatProvider({ baseUrl: 'http://user:SECRETpw@127.0.0.1:1/v1?key=SECRETq', models: ['m'] });
    assertProviderError(await failure(provider), 'network', 'http://127.0.0.1:1/v1');
  });

  it('maps an error object inside the stream, redacting the key', async () => {
    const fetchImpl = sseFetch([`data: {"error":{"message":"bad key ${API_KEY} in upstream","type":"server_error"}}\n\n`]);
    const provider = createOpenAIChatProvider({ baseUrl: 'http://x/v1', apiKey: API_KEY, models: ['m'], fetchImpl, retryBaseMs: 1 });
    assertProviderError(await failure(provider), 'server', 'bad key [redacted] in upstream');
  });

  it('never retries once events have been yielded', async () => {
    const text = 'data: {"choices":[{"index":0,"delta":{"content":"partial"},"finish_reason":null}]}\n\n';
    const fetchImpl = sseFetch([text], { failAfter: true });
    const provider = createOpenAIChatProvider({ baseUrl: 'http://x/v1', models: ['m'], fetchImpl, retryBaseMs: 1 });
    const seen: string[] = [];
    const error = await (async () => {
      try {
        for await (const event of provider.stream(request(), new AbortController().signal)) if (event.type === 'text_delta') seen.push(event.text);
      } catch (caught) {
        return caught;
      }
    })();
    assertProviderError(error, 'network', 'broke off');
    assert.deepEqual(seen, ['partial']);
    assert.equal(fetchImpl.calls, 1);
  });

  it('explains a server that ignored stream:true', async () => {
    const fetchImpl = sseFetch(['{"choices":[{"message":{"content":"hi"}}]}'], { contentType: 'application/json' });
    const provider = createOpenAIChatProvider({ baseUrl: 'http://x/v1', models: ['m'], fetchImpl });
    assertProviderError(await failure(provider), 'protocol', 'did not stream');
  });

  it('still reads an event stream mislabelled as JSON', async () => {
    const body = 'data: {"choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n';
    const provider = createOpenAIChatProvider({ baseUrl: 'http://x/v1', models: ['m'], fetchImpl: sseFetch([body], { contentType: 'application/json' }) });
    assert.equal(textOf(await collect(provider)), 'ok');
  });
});
