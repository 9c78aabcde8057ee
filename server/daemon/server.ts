// The shared daemon's network edge: an HTTP server on loopback with `GET /healthz` and
// `GET /acp` (WebSocket, one ACP connection per socket). Every check runs before the upgrade, so a
// refused client gets a plain HTTP status and never a socket.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIPv4 } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { TetherConfig } from '../config';
import { log } from '../log';
import type { SessionManager } from '../session/manager';
import { VERSION } from '../version';
import { checkCaller, checkToken, chooseProtocol, generateToken, type AccessPolicy, type Rejection } from './auth';
import { serveConnection, type ServedConnection } from './connection';
import { DaemonError } from './errors';
import { startHeartbeat, type Heartbeat } from './heartbeat';

export interface DaemonLimits {
  /** Largest frame accepted; a bigger one closes its socket with 1009. */
  maxMessageBytes: number;
  /** Open sockets; one more gets HTTP 503 before the upgrade. */
  maxConnections: number;
  /** Unanswered requests per connection; one more gets JSON-RPC error -32010. */
  maxPendingRequests: number;
  /** Ping interval; a peer that misses one whole interval is dropped. */
  heartbeatMs: number;
  /** How long close() waits for clients to finish the close handshake. */
  closeGraceMs: number;
}

export const DEFAULT_LIMITS: Readonly<DaemonLimits> = {
  maxMessageBytes: 16 * 1024 * 1024,
  maxConnections: 64,
  maxPendingRequests: 256,
  heartbeatMs: 30_000,
  closeGraceMs: 2_000,
};

export const DEFAULT_HOST = '127.0.0.1';
export const ACP_PATH = '/acp';
export const HEALTH_PATH = '/healthz';
/** Close sent to every client when the daemon stops. */
export const SHUTDOWN_CLOSE = { code: 1001, reason: 'tether daemon shutting down' } as const;

export interface StartDaemonOptions {
  config: TetherConfig;
  manager: SessionManager;
  /** 0 (the default) lets the OS choose; the discovery file tells clients. */
  port?: number;
  host?: string;
  /** Required to listen on anything but loopback: the token then crosses a network in clear text. */
  allowRemote?: boolean;
  allowedOrigins?: readonly string[];
  /** Generated when absent. */
  token?: string;
  limits?: Partial<DaemonLimits>;
  perMessageDeflate?: boolean;
}

export interface DaemonServer {
  readonly host: string;
  readonly port: number;
  readonly token: string;
  /** ws://host:port/acp */
  readonly url: string;
  connectionCount(): number;
  /** Stops accepting, closes every client with 1001 and waits for them to detach. Idempotent. */
  close(): Promise<void>;
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || (isIPv4(bare) && bare.startsWith('127.'));
}

export async function startDaemon(options: StartDaemonOptions): Promise<DaemonServer> {
  const host = options.host ?? DEFAULT_HOST;
  const loopbackOnly = isLoopbackHost(host);
  if (!loopbackOnly && !options.allowRemote) {
    throw new DaemonError(
      'remote_bind_refused',
      `Refusing to listen on ${host}: only loopback is allowed unless allowRemote is configured (TETHER_ALLOW_REMOTE=1 or --allow-remote).`,
    );
  }
  if (!loopbackOnly) log.warn(`listening on non-loopback ${host}: the token and all traffic cross the network unencrypted`);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const policy: AccessPolicy = { token: options.token ?? generateToken(), allowedOrigins: options.allowedOrigins ?? [], loopbackOnly };
  const daemon = new Daemon(options.manager, policy, limits, options.perMessageDeflate ?? false);
  const port = await daemon.listen(options.port ?? 0, host);
  log.info(`tether daemon for ${options.config.home} listening on ws://${formatHost(host)}:${port}${ACP_PATH}`);
  const url = `ws://${formatHost(host)}:${port}${ACP_PATH}`;
  return { host, port, token: policy.token, url, connectionCount: () => daemon.connectionCount(), close: () => daemon.close() };
}

function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

type DaemonState = 'starting' | 'listening' | 'closing' | 'closed';

class Daemon {
  private state: DaemonState = 'starting';
  private closing?: Promise<void>;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly clients = new Map<WebSocket, ServedConnection>();
  private readonly heartbeat: Heartbeat;

  constructor(
    private readonly manager: SessionManager,
    private readonly policy: AccessPolicy,
    private readonly limits: DaemonLimits,
    perMessageDeflate: boolean,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: limits.maxMessageBytes,
      perMessageDeflate,
      handleProtocols: (offered) => chooseProtocol(offered),
    });
    this.http = createServer((request, response) => this.onRequest(request, response));
    this.http.on('upgrade', (request, socket, head) => this.onUpgrade(request, socket, head));
    // A client that hangs up mid-request must not take the daemon down.
    this.http.on('clientError', (_error, socket) => socket.destroy());
    this.heartbeat = startHeartbeat(limits.heartbeatMs, () => log.warn('dropping a client that stopped answering pings'));
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        this.heartbeat.stop();
        this.state = 'closed';
        reject(new DaemonError('listen_failed', `Cannot listen on ${host}:${port}: ${error.code ?? error.message}`, { cause: error }));
      };
      this.http.once('error', onError);
      this.http.listen(port, host, () => {
        this.http.off('error', onError);
        this.http.on('error', (error) => log.error('http server error:', error));
        this.state = 'listening';
        const address = this.http.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  connectionCount(): number {
    return this.clients.size;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.state = 'closing';
    this.heartbeat.stop();
    const stopped = new Promise<void>((resolve) => this.http.close(() => resolve()));
    const served = [...this.clients.values()].map((client) => client.done);
    for (const socket of this.clients.keys()) socket.close(SHUTDOWN_CLOSE.code, SHUTDOWN_CLOSE.reason);
    const grace = delay(this.limits.closeGraceMs);
    if ((await Promise.race([Promise.all(served).then(() => 'done' as const), grace.wait])) !== 'done') {
      // Peers that never answer the close frame are cut off; their sessions detach all the same.
      for (const socket of this.clients.keys()) socket.terminate();
      await Promise.all(served);
    }
    grace.cancel();
    this.http.closeAllConnections();
    await stopped;
    this.wss.close();
    this.state = 'closed';
  }

  private onRequest(request: IncomingMessage, response: ServerResponse): void {
    const rejection = checkCaller(request, this.policy);
    if (rejection) return sendJson(response, rejection.status, errorBody(rejection.code, rejection.message));
    const path = pathOf(request);
    if (path === HEALTH_PATH && request.method === 'GET') {
      return sendJson(response, 200, { ok: this.state === 'listening', pid: process.pid, version: VERSION });
    }
    if (path === ACP_PATH) {
      return sendJson(response, 426, errorBody('upgrade_required', `${ACP_PATH} speaks ACP over WebSocket only.`), { Upgrade: 'websocket' });
    }
    sendJson(response, 404, errorBody('not_found', `Nothing at ${path}; use ${ACP_PATH} or ${HEALTH_PATH}.`));
  }

  private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A reset during the handshake must not become an uncaught error.
    socket.on('error', () => socket.destroy());
    const rejection = this.admit(request);
    if (rejection) {
      log.debug(`refused upgrade: ${rejection.code}`);
      return rejectUpgrade(socket, rejection);
    }
    // Without verifyClient, handleUpgrade finishes synchronously, so the count above stays exact.
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
  }

  private admit(request: IncomingMessage): Rejection | HttpRefusal | undefined {
    if (pathOf(request) !== ACP_PATH) return { status: 404, code: 'not_found', message: `Upgrade only at ${ACP_PATH}.` };
    const rejection = checkCaller(request, this.policy) ?? checkToken(request, this.policy);
    if (rejection) return rejection;
    if (this.state !== 'listening') return { status: 503, code: 'shutting_down', message: 'The daemon is shutting down.' };
    if (this.clients.size >= this.limits.maxConnections) {
      return { status: 503, code: 'too_many_connections', message: `The daemon already serves ${this.limits.maxConnections} connections.` };
    }
    return undefined;
  }

  private accept(socket: WebSocket): void {
    const served = serveConnection(socket, this.manager, this.limits);
    this.clients.set(socket, served);
    this.heartbeat.watch(socket);
    void served.done.then(() => this.clients.delete(socket));
    log.debug(`connection ${served.id} opened (${this.clients.size} open)`);
  }
}

interface HttpRefusal {
  status: 404 | 503;
  code: 'not_found' | 'shutting_down' | 'too_many_connections';
  message: string;
}

function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://daemon').pathname;
}

function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', ...headers });
  response.end(text);
}

function rejectUpgrade(socket: Duplex, refusal: Rejection | HttpRefusal): void {
  const body = JSON.stringify(errorBody(refusal.code, refusal.message));
  const reasons: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' };
  const headers = [
    `HTTP/1.1 ${refusal.status} ${reasons[refusal.status]}`,
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...(refusal.status === 401 ? ['WWW-Authenticate: Bearer realm="tether"'] : []),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
}

function delay(ms: number): { wait: Promise<'timeout'>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const wait = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return { wait, cancel: () => clearTimeout(timer) };
}
