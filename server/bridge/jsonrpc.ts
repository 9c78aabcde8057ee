// Just enough JSON-RPC for a relay: parse a line, tell requests, notifications and responses
// apart, and key ids. No schema validation: the daemon and the editor validate what they get.

export type JsonRpcId = string | number | null;

/** A parsed message; fields are read loosely because nothing here is validated. */
export interface RpcMessage {
  jsonrpc?: unknown;
  id?: JsonRpcId;
  method?: unknown;
  params?: unknown;
  result?: unknown;
  error?: unknown;
}

export type MessageKind = 'request' | 'notification' | 'response';

/** The message in `text`, or undefined when it is not a JSON object. */
export function parseMessage(text: string): RpcMessage | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as RpcMessage) : undefined;
  } catch {
    return undefined;
  }
}

export function messageKind(message: RpcMessage): MessageKind {
  if (typeof message.method === 'string') return 'id' in message ? 'request' : 'notification';
  return 'response';
}

/** A map key that keeps 1 and "1" apart. */
export function idKey(id: JsonRpcId | undefined): string {
  return `${typeof id}:${String(id)}`;
}

/** Reads a nested property without trusting any level of it. */
export function pick(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function errorResponse(id: JsonRpcId, code: number, message: string, data?: unknown): string {
  const error: Record<string, unknown> = { code, message };
  if (data !== undefined) error.data = data;
  return JSON.stringify({ jsonrpc: '2.0', id, error });
}
