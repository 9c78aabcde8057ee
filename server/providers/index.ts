// Picks and builds the model provider the configuration asks for.
import type { TetherConfig } from '../config';
import { createAnthropicProvider, DEFAULT_ANTHROPIC_MODELS } from './anthropic';
import { createOpenAIChatProvider } from './openai-chat';
import { createOpenAIResponsesProvider } from './openai-responses';
import { ProviderError, type ModelProvider } from './types';

/** Offered when TETHER_MODEL is unset; the first is the default. */
export const DEFAULT_OPENAI_MODELS: readonly string[] = ['gpt-4.1-mini', 'gpt-4.1', 'o4-mini'];

export function createProvider(config: TetherConfig): ModelProvider {
  switch (config.provider) {
    case 'openai-responses':
      return createOpenAIResponsesProvider({
        baseUrl: config.openai.baseUrl,
        apiKey: config.openai.apiKey,
        models: config.model ? [config.model] : [...DEFAULT_OPENAI_MODELS],
        transport: config.openai.transport,
      });
    case 'openai-chat':
      return createOpenAIChatProvider({
        baseUrl: config.openai.baseUrl,
        apiKey: config.openai.apiKey,
        models: config.model ? [config.model] : [...DEFAULT_OPENAI_MODELS],
      });
    case 'anthropic':
      return createAnthropicProvider({
        baseUrl: config.anthropic.baseUrl,
        apiKey: config.anthropic.apiKey,
        models: config.model ? [config.model] : [...DEFAULT_ANTHROPIC_MODELS],
      });
    case undefined:
      throw new ProviderError('not_configured', config.providerProblem ?? 'No model provider is configured. Set OPENAI_API_KEY or OPENAI_BASE_URL.');
  }
}
