// Caps the requests one client may have in flight: each inbound request id is tracked until its
// response goes out, and a request over the cap is answered at once instead of reaching the app.
import type { AnyMessage, AnyResponse, JsonRpcId, Stream } from '@agentclientprotocol/sdk';

/** JSON-RPC code for a request refused because the connection has too many in flight. */
export const TOO_MANY_PENDING_REQUESTS = -32010;

export interface PendingRequestLimiter extends Stream {
  /** Requests read from the client and not yet answered. */
  pendingCount(): number;
}

// "1" and 1 are different JSON-RPC ids, so the key keeps the type.
const idKey = (id: JsonRpcId) => `${typeof id}:${String(id)}`;

function isRequest(message: AnyMessage): message is AnyMessage & { id: JsonRpcId; method: string } {
  return 'method' in message && 'id' in message;
}

function isResponse(message: AnyMessage): message is AnyResponse {
  return !('method' in message) && 'id' in message;
}

function refusal(id: JsonRpcId, method: string, limit: number): AnyResponse {
  return {
    jsonrpc: '2.0',
    id,
    error: {
      code: TOO_MANY_PENDING_REQUESTS,
      message: `Too many pending requests: this connection already has ${limit} unanswered; wait for some answers before sending ${method}.`,
      data: { tether: { error: 'too_many_pending_requests', limit } },
    },
  };
}

export function limitPendingRequests(inner: Stream, maxPending: number): PendingRequestLimiter {
  if (!Number.isSafeInteger(maxPending) || maxPending < 1) throw new RangeError('maxPending must be a positive integer');
  const pending = new Set<string>();
  // One writer for the app's messages and our refusals keeps their order on the wire.
  const writer = inner.writable.getWriter();
  const readable = inner.readable.pipeThrough(
    new TransformStream<AnyMessage, AnyMessage>({
      async transform(message, controller) {
        if (!isRequest(message)) return controller.enqueue(message);
        const key = idKey(message.id);
        if (pending.size >= maxPending && !pending.has(key)) {
          // Awaited so a client flooding requests without reading answers stops being read.
          await writer.write(refusal(message.id, message.method, maxPending)).catch(() => undefined);
          return;
        }
        pending.add(key);
        controller.enqueue(message);
      },
    }),
  );
  const writable = new WritableStream<AnyMessage>({
    write(message) {
      if (isResponse(message)) pending.delete(idKey(message.id));
      return writer.write(message);
    },
    close: () => writer.close(),
    abort: (reason) => writer.abort(reason),
  });
  return { readable, writable, pendingCount: () => pending.size };
}
