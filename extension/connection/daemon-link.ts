// The extension's one connection to the Tether server, as an explicit state machine:
// starting (finding or launching the daemon) -> connecting -> connected, and on any loss
// reconnecting with backoff until it is connected again (or failed, after a setup error the
// user must fix). Listeners learn of each new connection so sessions can reattach.
import * as acp from '@agentclientprotocol/sdk';
import type WebSocket from 'ws';
import { openSocket } from '../../server/bridge/socket';
import { webSocketStream } from '../../server/protocol/websocket-stream';
import type { ConnectionState } from '../shared/messages';
import { CLIENT_CAPABILITIES, clientApp, type ClientHandlers } from './acp-app';
import { resolveEndpoint, type Endpoint, type EndpointSettings } from './endpoint';
import { traced, type WireTrace } from './wire-trace';

export interface LinkOptions {
  handlers: ClientHandlers;
  serverScript: string;
  settings: () => EndpointSettings;
  trace: WireTrace;
  log: (line: string) => void;
  version: string;
}

export interface Connected {
  agent: acp.ClientContext;
  init: acp.InitializeResponse;
  endpoint: Endpoint;
}

const BACKOFF_MS = [100, 250, 500, 1_000, 2_000, 5_000];

export class DaemonLink {
  private stateValue: ConnectionState = 'starting';
  private detailValue: string | undefined;
  private current: (Connected & { socket: WebSocket; connection: acp.ClientConnection }) | undefined;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  /** After the first connection every further attempt is a reconnect. */
  private everConnected = false;
  private readonly stateListeners = new Set<(state: ConnectionState, detail?: string) => void>();
  private readonly connectListeners = new Set<(connected: Connected) => void>();
  private waiters: Array<(connected: Connected) => void> = [];

  constructor(private readonly options: LinkOptions) {}

  get state(): ConnectionState {
    return this.stateValue;
  }

  get detail(): string | undefined {
    return this.detailValue;
  }

  get connected(): Connected | undefined {
    return this.current;
  }

  onState(listener: (state: ConnectionState, detail?: string) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Called on the first connection and again after every reconnect. */
  onConnected(listener: (connected: Connected) => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  /** The agent context once connected; waits through reconnects. */
  whenConnected(): Promise<Connected> {
    if (this.current) return Promise.resolve(this.current);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  start(): void {
    void this.connect();
  }

  /** Drops the connection and connects again at once (after a settings change or a restart). */
  reconnectNow(): void {
    this.attempt = 0;
    clearTimeout(this.timer);
    if (this.current) this.current.socket.terminate();
    else void this.connect();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.current?.connection.close();
    this.current?.socket.terminate();
  }

  private setState(state: ConnectionState, detail?: string): void {
    this.stateValue = state;
    this.detailValue = detail;
    for (const listener of this.stateListeners) listener(state, detail);
  }

  private async connect(): Promise<void> {
    if (this.disposed) return;
    this.setState(this.everConnected ? 'reconnecting' : 'starting', this.detailValue);
    let endpoint: Endpoint;
    try {
      endpoint = await resolveEndpoint(this.options.settings(), this.options.serverScript);
      this.setState(this.everConnected ? 'reconnecting' : 'connecting');
      await this.open(endpoint);
    } catch (error) {
      this.options.log(`connection failed: ${(error as Error).message}`);
      this.scheduleRetry((error as Error).message);
    }
  }

  private async open(endpoint: Endpoint): Promise<void> {
    const socket = await openSocket(endpoint);
    const connection = clientApp(this.options.handlers).connect(traced(webSocketStream(socket), this.options.trace));
    socket.once('close', () => this.lost(socket));
    const init = await connection.agent.request(acp.methods.agent.initialize, {
      protocolVersion: acp.PROTOCOL_VERSION,
      clientCapabilities: CLIENT_CAPABILITIES,
      clientInfo: { name: 'tether-vscode', title: 'Tether for VS Code', version: this.options.version },
    });
    if (this.disposed || socket.readyState !== socket.OPEN) return;
    this.current = { agent: connection.agent, init, endpoint, socket, connection };
    this.attempt = 0;
    this.everConnected = true;
    this.options.log(`connected to ${endpoint.host}:${endpoint.port}${endpoint.pid ? ` (daemon pid ${endpoint.pid})` : ''}`);
    this.setState('connected');
    for (const listener of this.connectListeners) listener(this.current);
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve(this.current);
  }

  private lost(socket: WebSocket): void {
    if (this.current?.socket !== socket) return;
    this.current.connection.close(new Error('the connection to the Tether server was lost'));
    this.current = undefined;
    if (this.disposed) return;
    this.options.log('connection lost; reconnecting');
    this.scheduleRetry('connection lost');
  }

  private scheduleRetry(detail: string): void {
    if (this.disposed) return;
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)]!;
    this.attempt += 1;
    // A setup problem (bad serverUrl) will not fix itself quickly: say so, but keep trying.
    this.setState(this.attempt > BACKOFF_MS.length ? 'failed' : 'reconnecting', detail);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), delay);
  }
}
