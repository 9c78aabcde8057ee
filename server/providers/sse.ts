// Server-Sent Events decoding for streamed model responses (WHATWG event-stream format).
// The parser is incremental and byte-oriented so any chunking of the body decodes the same.

export interface SseEvent {
  /** The `event:` field, when the server named the event. */
  event?: string;
  data: string;
  id?: string;
}

/** Incremental parser: feed raw bytes in any chunking, get whole events out. */
export class SseParser {
  // `stream: true` keeps a UTF-8 sequence split across chunks intact; the decoder also drops a leading BOM.
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  /** A chunk ended on '\r': a following '\n' belongs to the same line break. */
  private pendingCr = false;
  private eventName: string | undefined;
  private eventId: string | undefined;
  private dataLines: string[] = [];

  push(bytes: Uint8Array): SseEvent[] {
    return this.feed(this.decoder.decode(bytes, { stream: true }));
  }

  /** Flushes the decoder at end of stream; an event without its blank line is dropped, as the spec says. */
  finish(): SseEvent[] {
    const events = this.feed(this.decoder.decode());
    this.buffer = '';
    this.dataLines = [];
    return events;
  }

  private feed(text: string): SseEvent[] {
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    const events: SseEvent[] = [];
    let start = 0;
    for (;;) {
      const end = findLineBreak(this.buffer, start);
      if (end < 0) break;
      const event = this.line(this.buffer.slice(start, end));
      if (event) events.push(event);
      if (this.buffer[end] === '\r') {
        if (end + 1 === this.buffer.length) {
          this.pendingCr = true;
          start = end + 1;
          break;
        }
        start = this.buffer[end + 1] === '\n' ? end + 2 : end + 1;
      } else {
        start = end + 1;
      }
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined; // comment / keep-alive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventName = value;
    else if (field === 'id' && !value.includes('\0')) this.eventId = value;
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const name = this.eventName;
    this.eventName = undefined;
    if (this.dataLines.length === 0) return undefined;
    const event: SseEvent = { data: this.dataLines.join('\n') };
    this.dataLines = [];
    if (name) event.event = name;
    if (this.eventId !== undefined) event.id = this.eventId;
    return event;
  }
}

function findLineBreak(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return -1;
}

/** Raised by readSse when no byte arrived within `idleTimeoutMs`. */
export class SseIdleTimeoutError extends Error {
  constructor(readonly idleTimeoutMs: number) {
    super(`no data received for ${idleTimeoutMs} ms`);
    this.name = 'SseIdleTimeoutError';
  }
}

/** Raised by readSse when the signal aborts; the body has been cancelled by then. */
export class SseAbortedError extends Error {
  constructor() {
    super('stream reading aborted');
    this.name = 'SseAbortedError';
  }
}

export interface ReadSseOptions {
  signal?: AbortSignal;
  /** Fail with SseIdleTimeoutError when the body is silent this long. Read before every read, so it may change mid-stream. */
  idleTimeoutMs?: number;
  /** Called with the size of every chunk received, before it is parsed. */
  onBytes?: (count: number) => void;
}

/**
 * Yields the events of an SSE body. Stops reading at once on abort or idle timeout and
 * cancels the body in every exit path, including the consumer breaking out early.
 */
export async function* readSse(body: ReadableStream<Uint8Array>, options: ReadSseOptions = {}): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const parser = new SseParser();
  let finished = false;
  try {
    for (;;) {
      const chunk = await readWithLimits(reader, options);
      if (chunk.done) break;
      options.onBytes?.(chunk.value.byteLength);
      yield* parser.push(chunk.value);
    }
    finished = true;
    yield* parser.finish();
  } finally {
    // Cancelling tells fetch to drop the connection; a finished body needs only the lock released.
    if (finished) reader.releaseLock();
    else reader.cancel().catch(() => undefined);
  }
}

function readWithLimits(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  { signal, idleTimeoutMs }: ReadSseOptions,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  if (signal?.aborted) return Promise.reject(new SseAbortedError());
  if (!signal && !idleTimeoutMs) return reader.read();
  return new Promise((resolve, reject) => {
    const timer = idleTimeoutMs ? setTimeout(() => settle(() => reject(new SseIdleTimeoutError(idleTimeoutMs))), idleTimeoutMs) : undefined;
    const onAbort = () => settle(() => reject(new SseAbortedError()));
    signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    function settle(action: () => void) {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      action();
    }
    reader.read().then(
      (result) => settle(() => resolve(result)),
      (error: unknown) => settle(() => reject(signal?.aborted ? new SseAbortedError() : error)),
    );
  });
}
