// The opt-in wire trace (`tether.trace.wire`): every JSON-RPC message in and out, to the
// output channel. Off by default: transcripts can hold secrets and are large.
import type { AnyMessage, Stream } from '@agentclientprotocol/sdk';

export interface WireTrace {
  enabled(): boolean;
  write(direction: 'in' | 'out', message: AnyMessage): void;
}

const MAX_TRACE_CHARS = 4_000;

export function describeMessage(message: AnyMessage): string {
  const text = JSON.stringify(message);
  return text.length > MAX_TRACE_CHARS ? `${text.slice(0, MAX_TRACE_CHARS)}… (${text.length} chars)` : text;
}

export function traced(stream: Stream, trace: WireTrace): Stream {
  const tap = (direction: 'in' | 'out') =>
    new TransformStream<AnyMessage, AnyMessage>({
      transform(message, controller) {
        if (trace.enabled()) trace.write(direction, message);
        controller.enqueue(message);
      },
    });
  const outbound = tap('out');
  void outbound.readable.pipeTo(stream.writable).catch(() => {});
  return { readable: stream.readable.pipeThrough(tap('in')), writable: outbound.writable };
}
