// The stateless Responses transport: `POST <base>/responses` with `stream:true` and the
// whole history every call. Retries (429, 5xx) happen only before the body starts, so a
// caller never sees an event twice.
import { bearerHeaders, postWithRetries } from './http-post';
import { OPENAI_ENV, type ErrorContext } from './openai-chat-errors';
import { httpBody, type RequestParts } from './openai-responses-request';
import { CallClock, type ResponsesSettings } from './openai-responses-shared';
import { ResponsesStreamDecoder } from './openai-responses-stream';
import { readSse, SseAbortedError, SseIdleTimeoutError } from './sse';
import { ProviderError, type ModelEvent } from './types';

/** How long to wait for the end of the body once the terminal event has arrived. */
const DRAIN_TIMEOUT_MS = 1000;

/** Streams one call over HTTP SSE. Errors come out raw; the provider normalizes them. */
export async function* streamOverHttp(settings: ResponsesSettings, parts: RequestParts, signal: AbortSignal): AsyncGenerator<ModelEvent> {
  const clock = new CallClock();
  // Encoded once: fetch sends bytes as they are, where a string is re-encoded through a stream.
  const body = Buffer.from(httpBody(parts), 'utf8') as Uint8Array<ArrayBuffer>;
  const context: ErrorContext = { baseUrl: settings.baseUrl, model: String(parts.settings.model), env: OPENAI_ENV };
  // Retries 429 and 5xx answers with backoff; resolves with a 2xx response.
  const post = { ...settings, endpoint: settings.httpEndpoint, headers: bearerHeaders(settings.apiKey), body };
  const { response, sentAt } = await postWithRetries(post, context, signal);
  clock.sent(sentAt);
  const decoder = new ResponsesStreamDecoder();
  const reading = { signal, idleTimeoutMs: settings.idleTimeoutMs, onBytes: (count: number) => clock.received(count) };
  try {
    for await (const sse of readSse(streamingBody(response, settings.baseUrl), reading)) {
      // After the terminal event, read on to the end: a cancelled body costs the pooled keep-alive connection.
      if (decoder.status) continue;
      for (const event of decoder.accept(sse.data)) {
        // One network chunk can hold many events; none may reach the caller after an abort.
        if (signal.aborted) throw new SseAbortedError();
        yield event;
      }
      if (decoder.status) reading.idleTimeoutMs = Math.min(settings.idleTimeoutMs, DRAIN_TIMEOUT_MS);
    }
  } catch (error) {
    // A server that keeps the stream open after the terminal event has still answered in full.
    if (!(decoder.status && error instanceof SseIdleTimeoutError)) throw error;
  }
  if (signal.aborted) throw new SseAbortedError();
  const { events, stopReason } = decoder.finish();
  yield* events;
  const metrics = clock.metrics({ bytesSent: body.byteLength, fullRequestBytes: body.byteLength, chained: false });
  yield { type: 'done', stopReason, metrics };
}

function streamingBody(response: Response, baseUrl: string): ReadableStream<Uint8Array> {
  const type = response.headers.get('content-type') ?? '';
  if (response.body && !type.includes('application/json')) return response.body;
  throw new ProviderError('protocol', `The model server at ${baseUrl} did not stream its answer (content-type "${type}"). Does it support the Responses API?`);
}
