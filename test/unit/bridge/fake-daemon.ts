// A stand-in for `tether serve` in one process: /healthz, the /acp WebSocket with bearer auth,
// the discovery file, and a small session model that numbers updates and replays a missed
// tail on `_tether/session/attach`, as the real daemon does. Methods can be scripted per test.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';

export interface Received {
  connection: number;
  message: Record<string, unknown>;
}

/** What a scripted method returns: a result, an error, or nothing (never answered). */
export type Reply = { result: unknown } | { error: { code: number; message: string } } | 'no-reply';
export type MethodHandler = (params: Record<string, unknown>, connection: number) => Reply | Promise<Reply>;

export interface FakeDaemonOptions {
  /** Writes `<home>/daemon.json` naming this process. */
  home?: string;
  token?: string;
  /** Declare `_tether/session/attach` in the initialize result (default true). */
  attach?: boolean;
}

export class FakeDaemon {
  readonly received: Received[] = [];
  readonly handlers = new Map<string, MethodHandler>();
  /** Every update published per session, numbered from 1. */
  readonly sessions = new Map<string, unknown[]>();
  readonly token: string;
  port = 0;
  /** Connections closed by either side. */
  closedConnections = 0;
  private readonly sockets: WebSocket[] = [];
  private readonly attached = new Map<string, Set<number>>();
  private readonly http: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private sessionCounter = 0;

  private constructor(private readonly options: FakeDaemonOptions) {
    this.token = options.token ?? 'test-token';
    this.http = createServer((req, res) => res.writeHead(req.url === '/healthz' ? 200 : 404).end());
    this.http.on('upgrade', (req, socket, head) => {
      if (req.headers.authorization !== `Bearer ${this.token}` || req.url !== '/acp' || req.headers.origin) {
        socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  static async start(options: FakeDaemonOptions = {}): Promise<FakeDaemon> {
    const daemon = new FakeDaemon(options);
    await new Promise<void>((resolve) => daemon.http.listen(0, '127.0.0.1', resolve));
    daemon.port = (daemon.http.address() as AddressInfo).port;
    if (options.home) daemon.writeDiscovery(options.home);
    return daemon;
  }

  writeDiscovery(home: string, pid = process.pid): void {
    mkdirSync(home, { recursive: true });
    const record = { port: this.port, pid, protocolVersion: 1, token: this.token, version: '0.0.0-test', startedAt: new Date().toISOString() };
    writeFileSync(join(home, 'daemon.json'), JSON.stringify(record), { mode: 0o600 });
  }

  get connectionCount(): number {
    return this.sockets.length;
  }

  /** The messages one connection received, or all of them. */
  messages(connection?: number): Array<Record<string, unknown>> {
    return this.received.filter((r) => connection === undefined || r.connection === connection).map((r) => r.message);
  }

  send(connection: number, message: unknown): void {
    this.sockets[connection]!.send(JSON.stringify(message));
  }

  /** Numbers an update and sends it to the connections attached to the session. */
  publish(sessionId: string, update: unknown): number {
    const updates = this.sessions.get(sessionId) ?? [];
    updates.push(update);
    this.sessions.set(sessionId, updates);
    const seq = updates.length;
    for (const connection of this.attached.get(sessionId) ?? []) this.sendUpdate(connection, sessionId, seq, update);
    return seq;
  }

  /** Closes every connection from the daemon's side, as a crash would. */
  dropConnections(): void {
    for (const socket of this.sockets) socket.terminate();
    this.attached.clear();
  }

  async waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`fake daemon: timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async close(): Promise<void> {
    this.dropConnections();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private accept(ws: WebSocket): void {
    const connection = this.sockets.push(ws) - 1;
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      this.received.push({ connection, message });
      if (typeof message.method === 'string' && 'id' in message) void this.answer(connection, message);
    });
    ws.on('close', () => {
      this.closedConnections++;
      for (const set of this.attached.values()) set.delete(connection);
    });
  }

  private async answer(connection: number, message: Record<string, unknown>): Promise<void> {
    const method = message.method as string;
    const params = (message.params ?? {}) as Record<string, unknown>;
    const handler = this.handlers.get(method) ?? ((p: Record<string, unknown>, c: number) => this.builtIn(method, p, c));
    const reply = await handler(params, connection);
    if (reply === 'no-reply' || this.sockets[connection]!.readyState !== this.sockets[connection]!.OPEN) return;
    this.send(connection, { jsonrpc: '2.0', id: message.id, ...reply });
  }

  private builtIn(method: string, params: Record<string, unknown>, connection: number): Reply {
    switch (method) {
      case 'initialize': {
        const meta = this.options.attach === false ? {} : { _meta: { tether: { attach: true } } };
        return { result: { protocolVersion: 1, agentCapabilities: { loadSession: true, ...meta }, authMethods: [] } };
      }
      case 'session/new': {
        const sessionId = `sess-${++this.sessionCounter}`;
        this.sessions.set(sessionId, []);
        this.attach(sessionId, connection);
        return { result: { sessionId } };
      }
      case '_tether/session/attach':
        return this.replay(String(params.sessionId), Number(params.afterSeq), connection);
      default:
        return { error: { code: -32601, message: `Method not found: ${method}` } };
    }
  }

  private replay(sessionId: string, afterSeq: number, connection: number): Reply {
    const updates = this.sessions.get(sessionId);
    if (!updates) return { error: { code: -32002, message: `Session ${sessionId} not found` } };
    updates.forEach((update, index) => {
      if (index + 1 > afterSeq) this.sendUpdate(connection, sessionId, index + 1, update);
    });
    this.attach(sessionId, connection);
    return { result: { lastSeq: updates.length } };
  }

  private attach(sessionId: string, connection: number): void {
    const set = this.attached.get(sessionId) ?? new Set<number>();
    set.add(connection);
    this.attached.set(sessionId, set);
  }

  private sendUpdate(connection: number, sessionId: string, seq: number, update: unknown): void {
    this.send(connection, { jsonrpc: '2.0', method: 'session/update', params: { sessionId, update, _meta: { tether: { seq } } } });
  }
}
