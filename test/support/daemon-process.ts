// The built daemon (`tether serve`) as a real process, and SDK clients over its WebSocket.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as acp from '@agentclientprotocol/sdk';
import { createWebSocketStream, type WebSocketConstructor } from '@agentclientprotocol/sdk/experimental/ws-client';
import { WebSocket } from 'ws';
import { cleanEnv, SERVER_BUNDLE, ensureBuilt } from './agent-process';
import { createAcpValidator } from './schema-validator';

export interface Discovery {
  port: number;
  pid: number;
  token: string;
}

export class DaemonProcess {
  readonly child: ChildProcess;
  stderr = '';

  private constructor(readonly home: string, env: Record<string, string | undefined>) {
    ensureBuilt();
    this.child = spawn(process.execPath, [SERVER_BUNDLE, 'serve'], { env: cleanEnv({ TETHER_HOME: home, ...env }), stdio: ['ignore', 'ignore', 'pipe'] });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
  }

  /** Starts a daemon and waits until its discovery file names it. */
  static async start(home: string, env: Record<string, string | undefined> = {}): Promise<DaemonProcess> {
    const daemon = new DaemonProcess(home, env);
    const deadline = Date.now() + 10_000;
    while (daemon.discovery()?.pid !== daemon.child.pid) {
      if (Date.now() > deadline || daemon.child.exitCode !== null) throw new Error(`daemon did not start:\n${daemon.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return daemon;
  }

  discovery(): Discovery | undefined {
    const path = join(this.home, 'daemon.json');
    if (!existsSync(path)) return undefined;
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as Discovery;
    } catch {
      return undefined; // being written
    }
  }

  get url(): string {
    return `ws://127.0.0.1:${this.discovery()!.port}/acp`;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    await exited;
  }
}

export type PermissionAnswer = (request: acp.RequestPermissionRequest) => acp.RequestPermissionResponse | Promise<acp.RequestPermissionResponse>;

/** An SDK client on the daemon's WebSocket; every message it receives is schema-checked. */
export class WsClient {
  readonly updates: acp.SessionNotification[] = [];
  readonly permissionRequests: acp.RequestPermissionRequest[] = [];
  readonly problems: string[] = [];
  readonly connection: acp.ClientConnection;
  answer: PermissionAnswer = (request) => ({ outcome: { outcome: 'selected', optionId: request.options.find((o) => o.kind === 'allow_once')!.optionId } });

  /** `validate: false` skips the schema check of each message (benchmarks measure the daemon, not ajv). */
  constructor(daemon: DaemonProcess, options: { validate?: boolean } = {}) {
    const { token } = daemon.discovery()!;
    const check = options.validate ?? true;
    const validator = createAcpValidator();
    const stream = createWebSocketStream(daemon.url, { WebSocket: WebSocket as unknown as WebSocketConstructor, headers: { Authorization: `Bearer ${token}` } });
    this.connection = acp
      .client({ name: 'ws-test-client' })
      .onRequest(acp.methods.client.session.requestPermission, async ({ params }) => {
        if (check) this.problems.push(...validator.validate({ jsonrpc: '2.0', id: 0, method: 'session/request_permission', params }, 'agent->client'));
        this.permissionRequests.push(params);
        return this.answer(params);
      })
      .onNotification(acp.methods.client.session.update, async ({ params }) => {
        if (check) this.problems.push(...validator.validate({ jsonrpc: '2.0', method: 'session/update', params }, 'agent->client'));
        this.updates.push(params);
      })
      .connect(stream);
  }

  get agent(): acp.ClientContext {
    return this.connection.agent;
  }

  async initialize(): Promise<acp.InitializeResponse> {
    return this.agent.request('initialize', { protocolVersion: acp.PROTOCOL_VERSION, clientCapabilities: {} });
  }

  updatesOf(sessionId: string): acp.SessionNotification[] {
    return this.updates.filter((n) => n.sessionId === sessionId);
  }

  close(): void {
    this.connection.close();
  }
}

export function seqOf(notification: acp.SessionNotification): number {
  return (notification._meta as { tether: { seq: number } }).tether.seq;
}

export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
