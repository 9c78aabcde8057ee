import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  anthropicErrorBody,
  overloaded,
  rateLimited,
  startScriptedAnthropicServer,
  type AnthropicScriptedResponse,
  type ScriptedAnthropicServer,
} from '../../../server/demo/scripted-anthropic-server';
import { createAnthropicProvider, type AnthropicOptions } from '../../../server/providers/anthropic';
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

describe('anthropic provider failures', () => {
  let server: ScriptedAnthropicServer;
  const queue: AnthropicScriptedResponse[] = [];
  before(async () => {
    server = await startScriptedAnthropicServer({ apiKey: API_KEY, script: () => queue.shift() ?? { text: 'default' } });
  });
  after(() => server.close());
  const provider = (options: Partial<AnthropicOptions> = {}) =>
    createAnthropicProvider({ baseUrl: server.url, apiKey: API_KEY, models: ['scripted-model'], retryBaseMs: 5, ...options });
  const sinceNow = () => {
    const start = server.requests.length;
    return () => server.requests.slice(start);
  };

  it('401 says to check ANTHROPIC_API_KEY, is not retried, and never repeats the key', async () => {
    const sent = sinceNow();
    const error = assertProviderError(await failure(provider({ apiKey: 'sk-ant-wrong-SECRET' })), 'auth', 'ANTHROPIC_API_KEY', 'invalid x-api-key', server.url);
    assert.equal(error.status, 401);
    assert.equal(sent().length, 1);
    queue.push({ httpError: { status: 401, body: anthropicErrorBody('authentication_error', `key ${API_KEY} is revoked`) } });
    assertProviderError(await failure(provider()), 'auth', 'key [redacted] is revoked');
  });

  it('waits for retry-after on 429, then succeeds', async () => {
    const sent = sinceNow();
    queue.push(rateLimited(1), { text: 'after the wait' });
    // A huge backoff base proves the header, not the backoff, set the wait.
    const events = await collect(provider({ retryBaseMs: 60_000 }));
    assert.equal(textOf(events), 'after the wait');
    const [limited, retried] = sent();
    const gap = retried!.receivedAt - limited!.receivedAt;
    assert.ok(gap >= 900 && gap < 3000, `waited ${gap} ms`);
  });

  it('retries 529 overloaded with backoff, and gives up with a server error', async () => {
    const sent = sinceNow();
    queue.push(overloaded(), overloaded(), { text: 'finally' });
    assert.equal(textOf(await collect(provider({ retryBaseMs: 30 }))), 'finally');
    const times = sent().map((r) => r.receivedAt);
    assert.equal(times.length, 3);
    assert.ok(times[2]! - times[1]! >= 40, 'the second wait doubled the first');
    queue.push(overloaded(), overloaded());
    assertProviderError(await failure(provider({ maxRetries: 1 })), 'server', '529', 'Overloaded', 'after 1 retry');
  });

  it('does not retry a spent budget, nor a 400, and shows the server message', async () => {
    const sent = sinceNow();
    const spent = { ...anthropicErrorBody('rate_limit_error', 'You have reached your spend limit.'), error: { type: 'rate_limit_error', message: 'You have reached your spend limit.', details: { error_code: 'enforced_spend_limit_reached' } } };
    queue.push({ httpError: { status: 429, body: spent, headers: { 'retry-after': '0' } } });
    assertProviderError(await failure(provider()), 'rate_limited', 'spend limit', 'waiting will not help');
    queue.push({ httpError: { status: 400, body: anthropicErrorBody('invalid_request_error', 'max_tokens: 999999 > 64000') } });
    assertProviderError(await failure(provider()), 'bad_request', 'max_tokens: 999999 > 64000');
    assert.equal(sent().length, 2);
  });

  it('404 names the model and suggests TETHER_MODEL and ANTHROPIC_BASE_URL', async () => {
    queue.push({ httpError: { status: 404, body: anthropicErrorBody('not_found_error', 'model: claude-nope') } });
    assertProviderError(await failure(provider(), request({ model: 'claude-nope' })), 'not_found', 'claude-nope', 'TETHER_MODEL', 'ANTHROPIC_BASE_URL');
    // A base URL ending in /v1 is taken as meant rather than doubled.
    queue.push({ text: 'found' });
    assert.equal(textOf(await collect(provider({ baseUrl: `${server.url}/v1/` }))), 'found');
  });

  it('retries an overload reported in the stream before any output, never after', async () => {
    const sent = sinceNow();
    queue.push({ streamError: { type: 'overloaded_error', message: 'Overloaded' } }, { text: 'second try' });
    assert.equal(textOf(await collect(provider())), 'second try');
    assert.equal(sent().length, 2);
    queue.push({ text: 'partial answer', chunkChars: 4, streamError: { type: 'overloaded_error', message: 'Overloaded', afterEvents: 5 } });
    const seen: string[] = [];
    const error = await (async () => {
      try {
        for await (const event of provider().stream(request(), new AbortController().signal)) if (event.type === 'text_delta') seen.push(event.text);
      } catch (caught) {
        return caught;
      }
    })();
    assertProviderError(error, 'server', 'overloaded_error', 'mid-stream');
    assert.ok(seen.length > 0);
    assert.equal(sent().length, 3, 'no retry once output was seen');
  });

  it('reports a connection dropped mid-stream as network', async () => {
    const sent = sinceNow();
    // Six events: message_start, ping, the text block's start, then three pieces of text reach the caller.
    queue.push({ text: 'a long answer that will not finish', chunkChars: 3, dropAfterEvents: 6 });
    assertProviderError(await failure(provider()), 'network', 'broke off');
    assert.equal(sent().length, 1, 'output had been seen, so no retry');
    // Dropped after message_start alone: nothing reached the caller, so the call is retried.
    queue.push({ text: 'lost', dropAfterEvents: 1 }, { text: 'recovered' });
    assert.equal(textOf(await collect(provider())), 'recovered');
    assert.equal(sent().length, 3);
    assert.equal(queue.length, 0);
  });

  it('cancels a hanging stream at once and the server sees the disconnect', async () => {
    queue.push({ hang: true, text: 'tick ', chunkDelayMs: 20 });
    const controller = new AbortController();
    let deltas = 0;
    let abortedAt = 0;
    let abortedWallClock = 0;
    const error = await (async () => {
      try {
        for await (const event of provider().stream(request(), controller.signal)) {
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
    assert.ok(performance.now() - abortedAt < 500);
    const disconnected = await server.waitForDisconnect(1000);
    assert.ok(disconnected.disconnectedAt! - abortedWallClock < 1000, 'the server saw the disconnect promptly');
  });

  it('cancels during a retry wait without sending again', async () => {
    const sent = sinceNow();
    queue.push(rateLimited(30));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    assertProviderError(await failure(provider(), request(), controller.signal), 'cancelled');
    assert.ok(performance.now() - started < 1000);
    assert.equal(sent().length, 1);
    queue.length = 0;
  });

  it('times out when the body goes silent', async () => {
    queue.push({ text: 'slow', chunkDelayMs: 5000 });
    const started = performance.now();
    assertProviderError(await failure(provider({ idleTimeoutMs: 200 })), 'timeout', server.url, '200 ms');
    assert.ok(performance.now() - started < 1500);
  });
});

describe('anthropic provider without the scripted server', () => {
  it('reports a refused connection as network, pointing at ANTHROPIC_BASE_URL', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const baseUrl = `http://127.0.0.1:${port}`;
    const error = assertProviderError(await failure(createAnthropicProvider({ baseUrl, apiKey: API_KEY, models: ['m'] })), 'network', baseUrl, 'connection refused', 'ANTHROPIC_BASE_URL');
    assert.ok(!error.message.includes('OPENAI'));
  });

  it('keeps credentials in the base URL out of messages', async () => {
    const provider = createAnthropicProvider({ baseUrl: 'http://user:SECRETpw@127.0.0.1:1?key=SECRETq', models: ['m'] });
    assertProviderError(await failure(provider), 'network', 'http://127.0.0.1:1');
  });

  it('tolerates a server that keeps the body open after message_stop', async () => {
    const body = [
      'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":3,"output_tokens":1}}}\n\n',
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ok"}}\n\n',
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}\n\n',
      'event: message_stop\ndata: {"type":"message_stop"}\n\n',
    ];
    const neverEnds = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const chunk of body) res.write(chunk);
    });
    await new Promise<void>((resolve) => neverEnds.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(neverEnds.address() as AddressInfo).port}`;
      const started = performance.now();
      const events = await collect(createAnthropicProvider({ baseUrl, models: ['m'] }));
      assert.equal(textOf(events), 'ok');
      assert.equal(events.at(-1)?.type, 'done');
      assert.ok(performance.now() - started < 2500);
    } finally {
      neverEnds.closeAllConnections();
      neverEnds.close();
    }
  });

  it('explains a server that ignored stream:true', async () => {
    const fetchImpl = sseFetch(['{"type":"message","content":[{"type":"text","text":"hi"}]}'], { contentType: 'application/json' });
    const provider = createAnthropicProvider({ baseUrl: 'http://x', models: ['m'], fetchImpl });
    assertProviderError(await failure(provider), 'protocol', 'did not stream');
  });
});
