// ModelProvider for the OpenAI Responses API. WebSocket mode by default (stateful: each call
// after the first sends only what is new), stateless HTTP SSE on request or as a fallback.
import WebSocket from 'ws';
import { displayUrl, endpointUrl, secretsOf } from './openai-chat-errors';
import { streamOverHttp } from './openai-responses-http';
import { isReasoningModel, requestParts } from './openai-responses-request';
import { toProviderError, type ResponsesSettings } from './openai-responses-shared';
import { SocketTransport } from './openai-responses-ws';
import { ProviderError, type ModelEvent, type ModelProvider, type ModelRequest } from './types';

export type ResponsesTransport = 'websocket' | 'http';

export interface OpenAIResponsesOptions {
  /** Base URL ending in /v1, e.g. https://api.openai.com/v1. */
  baseUrl: string;
  apiKey?: string;
  models: string[];
  /** Default 'websocket'. */
  transport?: ResponsesTransport;
  fetchImpl?: typeof fetch;
  WebSocketImpl?: typeof WebSocket;
  /**
   * Ask for `reasoning.encrypted_content` so stateless requests can carry reasoning.
   * 'auto' (default) asks only for reasoning models: the others reject the option.
   */
  encryptedReasoning?: boolean | 'auto';
  /** Retries after 429 or 5xx (HTTP status or in-stream error). Default 3. */
  maxRetries?: number;
  /** Fail when nothing arrives for this long. Default 5 minutes: reasoning models stay silent a while. */
  idleTimeoutMs?: number;
  /** Limit on the WebSocket handshake. Default 15 s. */
  connectTimeoutMs?: number;
  /** First backoff step; doubles per retry. Default 500 ms. */
  retryBaseMs?: number;
  /** Upper bound on any single wait, retry-after included. Default 30 s. */
  maxRetryDelayMs?: number;
  /** Receives the one-time WebSocket → HTTP fallback notice. Default console.error (stderr). */
  notice?: (message: string) => void;
}

export interface OpenAIResponsesProvider extends ModelProvider {
  release(conversationId: string): void;
  /** Closes every pooled connection (shutdown, tests). */
  releaseAll(): void;
}

export function createOpenAIResponsesProvider(options: OpenAIResponsesOptions): OpenAIResponsesProvider {
  const settings = resolveSettings(options);
  const socket = options.transport === 'http' ? undefined : new SocketTransport(settings);
  return {
    id: 'openai-responses',
    models: [...options.models],
    stream: (request, signal) => streamResponses(settings, socket, request, signal),
    release: (conversationId) => socket?.release(conversationId),
    releaseAll: () => socket?.releaseAll(),
  };
}

function resolveSettings(options: OpenAIResponsesOptions): ResponsesSettings {
  const httpEndpoint = endpointUrl(options.baseUrl, '/responses');
  const choice = options.encryptedReasoning ?? 'auto';
  return {
    httpEndpoint,
    socketEndpoint: httpEndpoint.replace(/^http(s?):/i, 'ws$1:'),
    baseUrl: displayUrl(options.baseUrl),
    apiKey: options.apiKey || undefined,
    secrets: secretsOf(options.apiKey, options.baseUrl),
    fetchImpl: options.fetchImpl ?? fetch,
    WebSocketImpl: options.WebSocketImpl ?? WebSocket,
    encryptedReasoning: choice === 'auto' ? isReasoningModel : () => choice,
    maxRetries: options.maxRetries ?? 3,
    idleTimeoutMs: options.idleTimeoutMs ?? 300_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
    retryBaseMs: options.retryBaseMs ?? 500,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
    notice: options.notice ?? ((message) => console.error(message)),
  };
}

async function* streamResponses(
  settings: ResponsesSettings,
  socket: SocketTransport | undefined,
  request: ModelRequest,
  signal: AbortSignal,
): AsyncGenerator<ModelEvent> {
  try {
    if (signal.aborted) throw new ProviderError('cancelled', 'The model request was cancelled.');
    const parts = requestParts(request, { encryptedReasoning: settings.encryptedReasoning(request.model) });
    if (socket) yield* socket.stream(parts, request.conversationId, signal);
    else yield* streamOverHttp(settings, parts, signal);
  } catch (error) {
    throw toProviderError(error, settings, request.model, signal);
  }
}
