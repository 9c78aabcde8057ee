import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../../../server/config';

const made: string[] = [];
const home = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tether-config-'));
  made.push(dir);
  return dir;
};
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

test('an OpenAI key alone selects the Responses API over a WebSocket', () => {
  const config = loadConfig({ TETHER_HOME: home(), OPENAI_API_KEY: 'sk-x' });
  assert.equal(config.provider, 'openai-responses');
  assert.equal(config.openai.transport, 'websocket');
  assert.equal(loadConfig({ TETHER_HOME: home(), OPENAI_API_KEY: 'k', TETHER_OPENAI_TRANSPORT: 'http' }).openai.transport, 'http');
  assert.match(loadConfig({ TETHER_HOME: home(), OPENAI_API_KEY: 'k', TETHER_OPENAI_TRANSPORT: 'pigeon' }).providerProblem ?? '', /TETHER_OPENAI_TRANSPORT/);
  assert.equal(config.openai.baseUrl, 'https://api.openai.com/v1');
  assert.equal(config.providerProblem, undefined);
});

test('a local base URL works without a key; trailing slashes are dropped', () => {
  const config = loadConfig({ TETHER_HOME: home(), OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1/', TETHER_MODEL: 'qwen' });
  assert.equal(config.provider, 'openai-chat');
  assert.equal(config.openai.baseUrl, 'http://127.0.0.1:11434/v1');
  assert.equal(config.model, 'qwen');
});

test('nothing configured: no provider, and a message that names what to set', () => {
  const config = loadConfig({ TETHER_HOME: home() });
  assert.equal(config.provider, undefined);
  assert.match(config.providerProblem ?? '', /OPENAI_API_KEY/);
  assert.match(config.providerProblem ?? '', /OPENAI_BASE_URL/);
});

test('an unknown provider is named in the problem', () => {
  const config = loadConfig({ TETHER_HOME: home(), TETHER_PROVIDER: 'carrier-pigeon', OPENAI_API_KEY: 'k' });
  assert.equal(config.provider, undefined);
  assert.match(config.providerProblem ?? '', /carrier-pigeon/);
});

test('config.json gives defaults; the environment wins', () => {
  const dir = home();
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model: 'from-file', openaiBaseUrl: 'http://127.0.0.1:9/v1', maxTurnRequests: 7 }));
  const fromFile = loadConfig({ TETHER_HOME: dir });
  assert.equal(fromFile.model, 'from-file');
  assert.equal(fromFile.maxTurnRequests, 7);
  assert.equal(fromFile.provider, 'openai-chat');
  const overridden = loadConfig({ TETHER_HOME: dir, TETHER_MODEL: 'from-env', TETHER_MAX_TURN_REQUESTS: '3' });
  assert.equal(overridden.model, 'from-env');
  assert.equal(overridden.maxTurnRequests, 3);
});

test('a broken config.json is a clear error', () => {
  const dir = home();
  writeFileSync(join(dir, 'config.json'), '{ nope');
  assert.throws(() => loadConfig({ TETHER_HOME: dir }), /config\.json/);
});

test('Anthropic: chosen by name or by its key alone; its key is required', () => {
  const byKey = loadConfig({ TETHER_HOME: home(), ANTHROPIC_API_KEY: 'a-key' });
  assert.equal(byKey.provider, 'anthropic');
  assert.equal(byKey.anthropic.baseUrl, 'https://api.anthropic.com');
  const named = loadConfig({ TETHER_HOME: home(), TETHER_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9/' });
  assert.equal(named.anthropic.baseUrl, 'http://127.0.0.1:9');
  const missing = loadConfig({ TETHER_HOME: home(), TETHER_PROVIDER: 'anthropic', OPENAI_API_KEY: 'k' });
  assert.equal(missing.provider, undefined);
  assert.match(missing.providerProblem ?? '', /ANTHROPIC_API_KEY/);
});
