import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSse, SseAbortedError, SseIdleTimeoutError, SseParser, type SseEvent } from '../../../server/providers/sse';

// Every line-ending style, a comment, a multi-line data field, a named event, an id,
// multi-byte characters (2-, 3- and 4-byte UTF-8) and a field without a colon.
const STREAM =
  '\uFEFF: keep-alive comment\r\n' +
  'data: {"content":"héllo"}\r\n\r\n' +
  'event: delta\n' +
  'data: first line\n' +
  'data:second line, no space\n' +
  'id: 7\n\n' +
  'data: 日本語 and 🎉\r\r' +
  ': another comment\n' +
  'data\n\n' +
  'event: ignored-without-data\n\n' +
  'data:  two leading spaces keep one\n\n' +
  'data: [DONE]\n\n' +
  'data: unterminated event is dropped';

const EXPECTED: SseEvent[] = [
  { data: '{"content":"héllo"}' },
  { event: 'delta', data: 'first line\nsecond line, no space', id: '7' },
  { data: '日本語 and 🎉', id: '7' },
  { data: '', id: '7' },
  { data: ' two leading spaces keep one', id: '7' },
  { data: '[DONE]', id: '7' },
];

function parseChunks(chunks: Uint8Array[]): SseEvent[] {
  const parser = new SseParser();
  const events = chunks.flatMap((chunk) => parser.push(chunk));
  return [...events, ...parser.finish()];
}

/** Deterministic pseudo-random numbers so a failing chunking can be replayed. */
function rng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const BYTES = new TextEncoder().encode(STREAM);

describe('SseParser', () => {
  it('parses the whole stream in one chunk', () => {
    assert.deepEqual(parseChunks([BYTES]), EXPECTED);
  });

  it('gives the same events for a split at every byte position', () => {
    for (let cut = 1; cut < BYTES.length; cut++) {
      assert.deepEqual(parseChunks([BYTES.slice(0, cut), BYTES.slice(cut)]), EXPECTED, `split at byte ${cut}`);
    }
  });

  it('gives the same events fed one byte at a time', () => {
    const chunks = Array.from(BYTES, (byte) => Uint8Array.of(byte));
    assert.deepEqual(parseChunks(chunks), EXPECTED);
  });

  it('gives the same events for random chunkings, empty chunks included', () => {
    const random = rng(42);
    for (let round = 0; round < 300; round++) {
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < BYTES.length; ) {
        const size = Math.floor(random() * 7); // 0 makes an empty chunk
        chunks.push(BYTES.slice(at, at + size));
        at += size;
      }
      assert.deepEqual(parseChunks(chunks), EXPECTED, `round ${round}`);
    }
  });

  it('treats a CR at a chunk end followed by LF as one line break', () => {
    const parser = new SseParser();
    const encode = (text: string) => new TextEncoder().encode(text);
    assert.deepEqual(parser.push(encode('data: a\r')), []);
    assert.deepEqual(parser.push(encode('\ndata: b\r')), []);
    assert.deepEqual(parser.push(encode('\n\r\n')), [{ data: 'a\nb' }]);
  });
});

function streamOf(chunks: string[], onCancel?: () => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(encoder.encode(chunk));
    },
    cancel: () => onCancel?.(),
  });
}

/** A body that sends `first`, then nothing until cancelled. */
function stalledStream(first: string, onCancel: () => void): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(first));
    },
    cancel: onCancel,
  });
}

describe('readSse', () => {
  it('yields events and counts every byte received', async () => {
    const chunks = ['data: é', 'tat\n', '\ndata: 2\n\n', ': ping\n\n'];
    let bytes = 0;
    const events: SseEvent[] = [];
    for await (const event of readSse(streamOf(chunks), { onBytes: (n) => (bytes += n) })) events.push(event);
    assert.deepEqual(events, [{ data: 'état' }, { data: '2' }]);
    assert.equal(bytes, Buffer.byteLength(chunks.join(''), 'utf8'));
  });

  it('fails with SseIdleTimeoutError when the body goes silent, and cancels it', async () => {
    let cancelled = false;
    const seen: string[] = [];
    const started = performance.now();
    await assert.rejects(async () => {
      for await (const event of readSse(stalledStream('data: one\n\n', () => (cancelled = true)), { idleTimeoutMs: 100 })) {
        seen.push(event.data);
      }
    }, SseIdleTimeoutError);
    assert.deepEqual(seen, ['one']);
    assert.ok(performance.now() - started < 1000);
    assert.ok(cancelled, 'the body was cancelled');
  });

  it('stops at once when the signal aborts during a read, and cancels the body', async () => {
    let cancelled = false;
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(async () => {
      for await (const _event of readSse(stalledStream('data: one\n\n', () => (cancelled = true)), { signal: controller.signal })) {
        // keep reading until the abort
      }
    }, SseAbortedError);
    assert.ok(performance.now() - started < 500);
    assert.ok(cancelled);
  });

  it('cancels the body when the consumer stops early', async () => {
    let cancelled = false;
    for await (const event of readSse(streamOf(['data: 1\n\n', 'data: 2\n\n'], () => (cancelled = true)))) {
      assert.equal(event.data, '1');
      break;
    }
    assert.ok(cancelled);
  });
});
