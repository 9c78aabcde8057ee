import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayUrl, endpointUrl, retryDelayMs, serverMessage } from '../../../server/providers/openai-chat-errors';

describe('retryDelayMs', () => {
  const headers = (init: Record<string, string>) => new Headers(init);

  it('honours retry-after in seconds, retry-after-ms, and an HTTP date', () => {
    assert.equal(retryDelayMs(headers({ 'retry-after': '3' }), 0, 500, 30_000), 3000);
    assert.equal(retryDelayMs(headers({ 'retry-after-ms': '250', 'retry-after': '3' }), 0, 500, 30_000), 250);
    const date = new Date(Date.now() + 5000).toUTCString();
    const wait = retryDelayMs(headers({ 'retry-after': date }), 0, 500, 30_000);
    assert.ok(wait > 3000 && wait <= 5000, `waited ${wait}`);
    assert.equal(retryDelayMs(headers({ 'retry-after': new Date(0).toUTCString() }), 0, 500, 30_000), 0);
  });

  it('caps the wait', () => {
    assert.equal(retryDelayMs(headers({ 'retry-after': '3600' }), 0, 500, 30_000), 30_000);
    assert.equal(retryDelayMs(headers({}), 20, 500, 30_000), 30_000);
  });

  it('backs off exponentially with bounded jitter when the server gives no hint', () => {
    for (const attempt of [0, 1, 2, 3]) {
      const wait = retryDelayMs(headers({ 'retry-after': 'soon' }), attempt, 100, 30_000);
      assert.ok(wait >= 80 * 2 ** attempt && wait <= 120 * 2 ** attempt, `attempt ${attempt} waited ${wait}`);
    }
  });
});

describe('error helpers', () => {
  it('reads the message out of the common error body shapes', () => {
    assert.equal(serverMessage('{"error":{"message":"openai style"}}'), 'openai style');
    assert.equal(serverMessage('{"error":"ollama style"}'), 'ollama style');
    assert.equal(serverMessage('{"message":"plain"}'), 'plain');
    assert.equal(serverMessage('{"detail":"fastapi style"}'), 'fastapi style');
    assert.equal(serverMessage('  <html>Bad Gateway</html> '), '<html>Bad Gateway</html>');
    assert.equal(serverMessage('x'.repeat(600)).length, 501);
  });

  it('shows base URLs without credentials and keeps queries on endpoints', () => {
    assert.equal(displayUrl('https://u:p@example.com/v1/?k=s'), 'https://example.com/v1');
    assert.equal(endpointUrl('https://example.com/v1/?api-version=1', '/chat/completions'), 'https://example.com/v1/chat/completions?api-version=1');
    assert.equal(endpointUrl('http://127.0.0.1:11434/v1', '/chat/completions'), 'http://127.0.0.1:11434/v1/chat/completions');
  });
});
