import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../server/config';
import { createProvider, DEFAULT_OPENAI_MODELS } from '../../../server/providers/index';
import { ProviderError } from '../../../server/providers/types';

const HOME = '/nonexistent/tether-home-for-tests';

describe('createProvider', () => {
  it('builds the chat provider for a local server with the configured model', () => {
    const provider = createProvider(loadConfig({ TETHER_HOME: HOME, OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', TETHER_MODEL: 'llama3.2' }));
    assert.equal(provider.id, 'openai-chat');
    assert.deepEqual(provider.models, ['llama3.2']);
  });

  it('builds the Responses provider for OpenAI and the Anthropic provider by name', () => {
    assert.equal(createProvider(loadConfig({ TETHER_HOME: HOME, OPENAI_API_KEY: 'k' })).id, 'openai-responses');
    assert.equal(createProvider(loadConfig({ TETHER_HOME: HOME, TETHER_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: 'k' })).id, 'anthropic');
  });

  it('offers the default models when none is set', () => {
    const provider = createProvider(loadConfig({ TETHER_HOME: HOME, OPENAI_API_KEY: 'k' }));
    assert.deepEqual(provider.models, [...DEFAULT_OPENAI_MODELS]);
  });

  it('throws not_configured with the configuration problem', () => {
    const config = loadConfig({ TETHER_HOME: HOME });
    assert.throws(
      () => createProvider(config),
      (error: unknown) => error instanceof ProviderError && error.code === 'not_configured' && error.message === config.providerProblem,
    );
  });
});
