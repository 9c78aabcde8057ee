// Shared pieces of the daemon tests: a temp home, a daemon on 127.0.0.1 with a real session
// manager, raw `ws` clients, and the SDK client over the SDK's own WebSocket stream.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as acp from '@agentclientprotocol/sdk';
import { createWebSocketStream, type WebSocketConstructor } from '@agentclientprotocol/sdk/experimental/ws-client';
import { WebSocket, type ClientOptions } from 'ws';
import { loadConfig, type TetherConfig } from '../../../server/config';
import { startDaemon, type DaemonServer, type StartDaemonOptions } from '../../../server/daemon/server';
import { SessionManager } from '../../../server/session/manager';

const homes: string[] = [];
process.on('exit', () => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

/** A fresh TETHER_HOME, removed when the test process exits. */
export function tempHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'tether-daemon-'));
  homes.push(home);
  return home;
}

export interface TestDaemon {
  server: DaemonServer;
  manager: SessionManager;
  config: TetherConfig;
  stop(): Promise<void>;
}

export async function startTestDaemon(options: Partial<Omit<StartDaemonOptions, 'config' | 'manager'>> = {}): Promise<TestDaemon> {
  const config = loadConfig({ TETHER_HOME: tempHome() });
  const manager = new SessionManager(config);
  const server = await startDaemon({ config, manager, ...options });
  return {
    server,
    manager,
    config,
    async stop() {
      await server.close();
      await manager.shutdown();
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** What a connection attempt came to: open, or refused with an HTTP status before the upgrade. */
export type Attempt = { kind: 'open'; socket: WebSocket } | { kind: 'refused'; status: number; body: string };

export function attempt(url: string, options: ClientOptions & { protocols?: string[] } = {}): Promise<Attempt> {
  const { protocols, ...rest } = options;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols ?? [], rest);
    socket.once('open', () => resolve({ kind: 'open', socket }));
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ kind: 'refused', status: response.statusCode ?? 0, body }));
    });
    socket.once('error', (error) => reject(error));
  });
}

export async function openSocket(url: string, options: ClientOptions & { protocols?: string[] } = {}): Promise<WebSocket> {
  const result = await attempt(url, options);
  if (result.kind !== 'open') throw new Error(`expected an open socket, got HTTP ${result.status}: ${result.body}`);
  return result.socket;
}

export function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve({ code: -1, reason: 'already closed' });
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** Sends a frame and waits for the next JSON frame back. */
export function exchange(socket: WebSocket, frame: string | Buffer, binary = false): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    socket.once('message', (data) => {
      try {
        resolve(JSON.parse(data.toString()) as Record<string, unknown>);
      } catch (error) {
        reject(error as Error);
      }
    });
    socket.send(frame, { binary });
  });
}

export const initializeFrame = (id: number | string) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: 1, clientCapabilities: {} } });

/** The official SDK client over the SDK's experimental WebSocket stream. */
export function sdkClient(url: string, headers: Record<string, string>, protocols?: string[]): acp.ClientConnection {
  const stream = createWebSocketStream(url, { WebSocket: WebSocket as unknown as WebSocketConstructor, headers, protocols });
  return acp
    .client({ name: 'daemon-test' })
    .onRequest(acp.methods.client.session.requestPermission, async () => ({ outcome: { outcome: 'cancelled' } }))
    .onNotification(acp.methods.client.session.update, async () => undefined)
    .connect(stream);
}

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
