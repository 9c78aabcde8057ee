// Configuration from the environment, with `$TETHER_HOME/config.json` as an optional base.
// Environment variables win over the file so a launcher can always override.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type ProviderName = 'openai-responses' | 'openai-chat' | 'anthropic';
export const PROVIDER_NAMES: readonly ProviderName[] = ['openai-responses', 'openai-chat', 'anthropic'];
export type OpenAITransport = 'websocket' | 'http';

export interface TetherConfig {
  home: string;
  /** Undefined when nothing usable was configured; session/prompt then explains what to set. */
  provider?: ProviderName;
  model?: string;
  /** transport: the Responses API over a WebSocket (stateful, the default) or HTTP SSE (stateless). */
  openai: { baseUrl: string; apiKey?: string; transport: OpenAITransport };
  anthropic: { baseUrl: string; apiKey?: string };
  /** Model requests allowed in one prompt turn before it stops with max_turn_requests. */
  maxTurnRequests: number;
  /** How long a permission question waits for a client to attach before it is rejected. */
  permissionTimeoutMs: number;
  /** Why no provider is usable, in words that say what to set. */
  providerProblem?: string;
}

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

type Env = Record<string, string | undefined>;

interface ConfigFile {
  provider?: string;
  model?: string;
  openaiBaseUrl?: string;
  anthropicBaseUrl?: string;
  maxTurnRequests?: number;
  permissionTimeoutMs?: number;
}

function readConfigFile(home: string): ConfigFile {
  try {
    return JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as ConfigFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`cannot read ${join(home, 'config.json')}: ${(error as Error).message}`, { cause: error });
  }
}

const NOTHING_CONFIGURED =
  'No model provider is configured. Set OPENAI_API_KEY (and optionally TETHER_MODEL), ' +
  'or set OPENAI_BASE_URL to a local OpenAI-compatible server (for example http://127.0.0.1:11434/v1 for Ollama) and TETHER_MODEL, ' +
  'or set ANTHROPIC_API_KEY.';

/**
 * The provider asked for, or the one the credentials point to: OpenAI's own API gets the stateful
 * Responses API; a custom base URL (Ollama, llama.cpp, vLLM) gets Chat Completions.
 */
function chooseProvider(requested: string | undefined, config: TetherConfig, openaiBaseUrlSet: boolean): Pick<TetherConfig, 'provider' | 'providerProblem'> {
  if (requested) {
    if (!PROVIDER_NAMES.includes(requested as ProviderName)) {
      return { providerProblem: `TETHER_PROVIDER=${requested} is not supported; use one of: ${PROVIDER_NAMES.join(', ')}.` };
    }
    const provider = requested as ProviderName;
    if (provider === 'anthropic' && !config.anthropic.apiKey) return { providerProblem: 'TETHER_PROVIDER=anthropic needs ANTHROPIC_API_KEY.' };
    if (provider !== 'anthropic' && !config.openai.apiKey && !openaiBaseUrlSet) return { providerProblem: NOTHING_CONFIGURED };
    return { provider };
  }
  if (openaiBaseUrlSet) return { provider: 'openai-chat' };
  if (config.openai.apiKey) return { provider: 'openai-responses' };
  if (config.anthropic.apiKey) return { provider: 'anthropic' };
  return { providerProblem: NOTHING_CONFIGURED };
}

/** Tether's data folder: TETHER_HOME, else ~/.tether. */
export function tetherHomeOf(env: Env = process.env): string {
  return env.TETHER_HOME || join(homedir(), '.tether');
}

export function loadConfig(env: Env = process.env): TetherConfig {
  const home = tetherHomeOf(env);
  const file = readConfigFile(home);
  const openaiBaseUrl = env.OPENAI_BASE_URL || file.openaiBaseUrl;
  const config: TetherConfig = {
    home,
    model: env.TETHER_MODEL || file.model,
    openai: {
      baseUrl: (openaiBaseUrl || DEFAULT_OPENAI_BASE_URL).replace(/\/+$/, ''),
      apiKey: env.OPENAI_API_KEY || undefined,
      transport: env.TETHER_OPENAI_TRANSPORT === 'http' ? 'http' : 'websocket',
    },
    anthropic: {
      baseUrl: (env.ANTHROPIC_BASE_URL || file.anthropicBaseUrl || DEFAULT_ANTHROPIC_BASE_URL).replace(/\/+$/, ''),
      apiKey: env.ANTHROPIC_API_KEY || undefined,
    },
    maxTurnRequests: Number(env.TETHER_MAX_TURN_REQUESTS) || file.maxTurnRequests || 50,
    permissionTimeoutMs: Number(env.TETHER_PERMISSION_TIMEOUT_MS) || file.permissionTimeoutMs || 10 * 60_000,
  };
  const transport = env.TETHER_OPENAI_TRANSPORT;
  if (transport && transport !== 'http' && transport !== 'websocket') {
    return { ...config, providerProblem: `TETHER_OPENAI_TRANSPORT=${transport} is not supported; use websocket or http.` };
  }
  return { ...config, ...chooseProvider(env.TETHER_PROVIDER || file.provider, config, Boolean(openaiBaseUrl)) };
}
