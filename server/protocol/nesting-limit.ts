// Refuses inbound messages nested deeper than a limit before the SDK sees them. The SDK echoes an
// invalid envelope back as the error's `data`; JSON.stringify of a message nested a few thousand
// levels deep overflows the stack, the write fails, and the SDK closes the whole connection (over
// stdio the process exits). No real ACP message comes near the limit.
import type { AnyMessage, AnyResponse, JsonRpcId, Stream } from '@agentclientprotocol/sdk';

export const DEFAULT_MAX_NESTING = 256;

/** True when `value` has more than `limit` levels of arrays/objects. Iterative: no recursion. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

function usableId(message: AnyMessage): JsonRpcId {
  const id = (message as { id?: unknown }).id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}

function refusal(message: AnyMessage, limit: number): AnyResponse {
  return {
    jsonrpc: '2.0',
    id: usableId(message),
    error: { code: -32600, message: `Invalid request: the message is nested deeper than ${limit} levels` },
  };
}

export function limitNesting(inner: Stream, maxDepth = DEFAULT_MAX_NESTING): Stream {
  // One writer for the app's messages and our refusals keeps their order on the wire.
  const writer = inner.writable.getWriter();
  const readable = inner.readable.pipeThrough(
    new TransformStream<AnyMessage, AnyMessage>({
      async transform(message, controller) {
        if (!nestedDeeperThan(message, maxDepth)) return controller.enqueue(message);
        // Notifications and responses get no answer (JSON-RPC never answers them); the rest do.
        const isNotification = 'method' in message && !('id' in message);
        const isResponse = !('method' in message) && 'id' in message;
        if (!isNotification && !isResponse) await writer.write(refusal(message, maxDepth)).catch(() => undefined);
      },
    }),
  );
  const writable = new WritableStream<AnyMessage>({
    write: (message) => writer.write(message),
    close: () => writer.close(),
    abort: (reason) => writer.abort(reason),
  });
  return { readable, writable };
}
