// Shared helpers for the provider tests: collecting a stream and a standard request.
import type { ModelEvent, ModelProvider, ModelRequest } from '../../../server/providers/types';

export const API_KEY = 'sk-test-SECRET-0123456789abcdef';

export function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'scripted-model',
    instructions: 'You are a test.',
    tools: [{ name: 'read_file', description: 'Reads a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } }],
    items: [{ type: 'user', parts: [{ type: 'text', text: 'hello' }] }],
    ...overrides,
  };
}

export async function collect(provider: ModelProvider, req: ModelRequest = request(), signal = new AbortController().signal): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  for await (const event of provider.stream(req, signal)) events.push(event);
  return events;
}

/** Runs the stream expecting a failure; returns the thrown error. */
export async function failure(provider: ModelProvider, req: ModelRequest = request(), signal?: AbortSignal): Promise<unknown> {
  try {
    await collect(provider, req, signal);
  } catch (error) {
    return error;
  }
  throw new Error('expected the stream to fail');
}

export function textOf(events: ModelEvent[], type: 'text_delta' | 'thinking_delta' = 'text_delta'): string {
  return events.map((e) => (e.type === type ? e.text : '')).join('');
}

/** A fetch stand-in that answers with a fixed SSE body, for shapes the scripted server never sends. */
export function sseFetch(chunks: string[], options: { failAfter?: boolean; contentType?: string } = {}): typeof fetch & { calls: number } {
  const fake = async () => {
    fake.calls++;
    const encoder = new TextEncoder();
    let next = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks[next++];
        if (chunk !== undefined) controller.enqueue(encoder.encode(chunk));
        else if (options.failAfter) controller.error(new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }));
        else controller.close();
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': options.contentType ?? 'text/event-stream' } });
  };
  fake.calls = 0;
  return fake as unknown as typeof fetch & { calls: number };
}
