// The stateless Responses transport: `POST <base>/responses` with `stream:true` and the
// whole history every call. Retries (429, 5xx) happen only before the body starts, so a
// caller never sees an event twice.
import { httpError, isRetryableStatus, networkError, retryDelayMs, type ErrorContext } from './openai-chat-errors';
import { httpBody, type RequestParts } from './openai-responses-request';
import { CallClock, sleep, type ResponsesSettings } from './openai-responses-shared';
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
  const context: ErrorContext = { baseUrl: settings.baseUrl, model: String(parts.settings.model) };
  const response = await postWithRetries(settings, body, context, signal, clock);
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

async function postWithRetries(
  settings: ResponsesSettings,
  body: Uint8Array<ArrayBuffer>,
  context: ErrorContext,
  signal: AbortSignal,
  clock: CallClock,
): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    if (signal.aborted) throw new SseAbortedError();
    clock.sent();
    const { response, errorText } = await postOnce(settings, body, context, signal);
    if (errorText === undefined) return response;
    if (!isRetryableStatus(response.status) || attempt >= settings.maxRetries) {
      throw httpError(response.status, errorText, context, attempt);
    }
    await sleep(retryDelayMs(response.headers, attempt, settings.retryBaseMs, settings.maxRetryDelayMs), signal);
  }
}

/** One POST. Headers (and an error body) must arrive within the idle timeout. */
async function postOnce(settings: ResponsesSettings, body: Uint8Array<ArrayBuffer>, context: ErrorContext, signal: AbortSignal) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, settings.idleTimeoutMs);
  const onAbort = () => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await settings.fetchImpl(settings.httpEndpoint, {
      method: 'POST',
      headers: requestHeaders(settings.apiKey),
      body,
      signal: controller.signal,
    });
    const errorText = response.ok ? undefined : await response.text();
    return { response, errorText };
  } catch (error) {
    if (signal.aborted) throw new SseAbortedError();
    if (timedOut) throw new SseIdleTimeoutError(settings.idleTimeoutMs);
    throw networkError(error, context, false);
  } finally {
    clearTimeout(timer);
    // The body keeps streaming after this returns; the caller's signal still cancels it through readSse.
    signal.removeEventListener('abort', onAbort);
  }
}

function streamingBody(response: Response, baseUrl: string): ReadableStream<Uint8Array> {
  const type = response.headers.get('content-type') ?? '';
  if (response.body && !type.includes('application/json')) return response.body;
  throw new ProviderError('protocol', `The model server at ${baseUrl} did not stream its answer (content-type "${type}"). Does it support the Responses API?`);
}

function requestHeaders(apiKey: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  return headers;
}
