// The HTTP plumbing the scripted model servers share: listening on loopback, reading bodies,
// JSON answers, closing with every response accounted for, and waiting for a disconnect.
import { once } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Epoch milliseconds with sub-millisecond precision, for the benchmark's per-call gaps. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

/** Listens and resolves with the server's origin, e.g. `http://127.0.0.1:41234`. */
export async function listenOn(server: Server, host: string, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/** Stops the server; waiting for every open response's 'close' means their disconnects are recorded. */
export async function closeHttpServer(server: Server, open: Set<ServerResponse>): Promise<void> {
  const closing = [...open].map((res) => once(res, 'close'));
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await Promise.all([stopped, ...closing]);
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

/** The first request whose client went away mid-response, now or within the timeout. */
export function waitForDisconnect<T extends { disconnectedAt?: number }>(requests: readonly T[], waiters: Array<(request: T) => void>, timeoutMs: number): Promise<T> {
  const already = requests.find((r) => r.disconnectedAt !== undefined);
  if (already) return Promise.resolve(already);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no client disconnected within ${timeoutMs} ms`)), timeoutMs);
    waiters.push((request) => {
      clearTimeout(timer);
      resolve(request);
    });
  });
}
