// Spawns the built server (`tether acp --standalone`) and drives it with the official SDK
// client over its real stdio. Both byte streams are tapped: every JSON-RPC line in either
// direction is logged with its size and validated against the SDK's JSON Schema, so a test
// can end with `assert.deepEqual(agent.schemaProblems, [])`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as acp from '@agentclientprotocol/sdk';
import { SERVER_BUNDLE, ensureBuilt } from './build';
import { LocalClientSide } from './client-capabilities';
import { createAcpValidator, pendingKey, type Direction } from './schema-validator';

export { REPO_ROOT, SERVER_BUNDLE, ensureBuilt } from './build';

export interface CapturedMessage {
  seq: number;
  direction: Direction;
  /** Milliseconds since the process was spawned. */
  at: number;
  line: string;
  /** Bytes on the wire, newline included. */
  bytes: number;
  /** The parsed JSON, if the line was JSON. */
  message?: unknown;
  problems: string[];
  /** Sent with sendRaw/rawRequest: deliberately not validated. */
  raw: boolean;
}

export type PermissionHandler = (
  request: acp.RequestPermissionRequest,
) => acp.RequestPermissionResponse | Promise<acp.RequestPermissionResponse>;

/** Picks the first option of the first kind in `kinds` that is offered. */
function chooseKind(...kinds: acp.PermissionOptionKind[]): PermissionHandler {
  return ({ options }) => {
    for (const kind of kinds) {
      const option = options.find((o) => o.kind === kind);
      if (option) return { outcome: { outcome: 'selected', optionId: option.optionId } };
    }
    return { outcome: { outcome: 'cancelled' } };
  };
}

export const permissionPolicy = {
  allowOnce: chooseKind('allow_once', 'allow_always'),
  allowAlways: chooseKind('allow_always', 'allow_once'),
  rejectOnce: chooseKind('reject_once', 'reject_always'),
  cancelled: (() => ({ outcome: { outcome: 'cancelled' } })) as PermissionHandler,
  /** Selects the option whose id or name matches, else falls back to `otherwise`. */
  option(match: string | RegExp, otherwise: PermissionHandler = chooseKind('allow_once')): PermissionHandler {
    return (request) => {
      const found = request.options.find((o) => (typeof match === 'string' ? o.optionId === match : match.test(o.optionId) || match.test(o.name)));
      return found ? { outcome: { outcome: 'selected', optionId: found.optionId } } : otherwise(request);
    };
  },
};

export interface AgentProcessOptions {
  /** Process cwd (editors spawn agents anywhere; default: a fresh temp dir). */
  cwd?: string;
  /** Added to a clean environment (no OPENAI_*, TETHER_*); undefined removes a variable. */
  env?: Record<string, string | undefined>;
  /** TETHER_HOME; default a fresh temp dir removed on stop. */
  home?: string;
  /** Arguments after the bundle path (default `acp --standalone`). */
  args?: string[];
  /** Advertise fs/read_text_file and fs/write_text_file (default false). */
  fs?: boolean;
  /** Advertise terminal/* (default false). */
  terminal?: boolean;
  /** Answers session/request_permission (default: allow once). Can be changed later. */
  onPermission?: PermissionHandler;
  /** Spawn this instead of the built bundle (argv; used to test the harness itself). */
  command?: string[];
}

interface RawWaiter {
  matches(message: Record<string, unknown>): boolean;
  resolve(message: Record<string, unknown>): void;
}

const SCRUBBED_ENV = /^(OPENAI_|TETHER_|ANTHROPIC_|NODE_TEST_CONTEXT$|NODE_OPTIONS$)/;

export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!SCRUBBED_ENV.test(key)) env[key] = value;
  Object.assign(env, extra);
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

export class AgentProcess {
  readonly log: CapturedMessage[] = [];
  readonly bytes = { toAgent: 0, fromAgent: 0 };
  readonly permissionRequests: acp.RequestPermissionRequest[] = [];
  readonly updates = new Map<string, acp.SessionUpdate[]>();
  readonly clientSide = new LocalClientSide();
  readonly connection: acp.ClientConnection;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  onPermission: PermissionHandler;
  exitInfo?: { code: number | null; signal: NodeJS.Signals | null };

  private readonly child: ChildProcess;
  private readonly startedAt = performance.now();
  private readonly validator = createAcpValidator();
  private readonly extraProblems: string[] = [];
  private readonly rawWaiters = new Set<RawWaiter>();
  private readonly tempDirs: string[] = [];
  private stderrText = '';
  private seq = 0;
  private rawId = 0;
  private writeChain = Promise.resolve();

  constructor(readonly options: AgentProcessOptions = {}) {
    if (!options.command) ensureBuilt();
    const home = options.home ?? this.tempDir('tether-home-');
    const cwd = options.cwd ?? this.tempDir('tether-cwd-');
    this.onPermission = options.onPermission ?? permissionPolicy.allowOnce;
    const [file, ...args] = options.command ?? [process.execPath, SERVER_BUNDLE, ...(options.args ?? ['acp', '--standalone'])];
    this.child = spawn(file!, args, {
      cwd,
      env: cleanEnv({ TETHER_HOME: home, ...options.env }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderrText += chunk.toString('utf8')));
    this.child.stdin!.on('error', () => {}); // EPIPE after the process died shows up in the test instead
    this.connection = this.buildClient().connect(acp.ndJsonStream(this.tapOutgoing(), this.tapIncoming()));
  }

  static start(options?: AgentProcessOptions): AgentProcess {
    return new AgentProcess(options);
  }

  /** Calls agent methods (initialize, session/new, ...) through the SDK. */
  get agent(): acp.ClientContext {
    return this.connection.agent;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** Every schema, JSON and capability problem seen so far, in order. */
  get schemaProblems(): string[] {
    return [...this.log.flatMap((m) => m.problems.map((p) => `#${m.seq} ${p}`)), ...this.extraProblems];
  }

  /** The parsed messages, optionally of one direction. */
  messages(direction?: Direction): Array<Record<string, unknown>> {
    return this.log
      .filter((m) => (!direction || m.direction === direction) && m.message && typeof m.message === 'object')
      .map((m) => m.message as Record<string, unknown>);
  }

  updatesFor(sessionId: string): acp.SessionUpdate[] {
    return this.updates.get(sessionId) ?? [];
  }

  async initialize(overrides: Partial<acp.InitializeRequest> = {}): Promise<acp.InitializeResponse> {
    return this.agent.request(acp.methods.agent.initialize, {
      protocolVersion: acp.PROTOCOL_VERSION,
      clientCapabilities: {
        fs: { readTextFile: Boolean(this.options.fs), writeTextFile: Boolean(this.options.fs) },
        terminal: Boolean(this.options.terminal),
      },
      clientInfo: { name: 'tether-e2e', title: 'Tether e2e harness', version: '0.0.0' },
      ...overrides,
    });
  }

  async newSession(cwd: string, extra: Partial<acp.NewSessionRequest> = {}): Promise<acp.NewSessionResponse> {
    return this.agent.request(acp.methods.agent.session.new, { cwd, mcpServers: [], ...extra });
  }

  async prompt(sessionId: string, text: string): Promise<acp.PromptResponse> {
    return this.agent.request(acp.methods.agent.session.prompt, { sessionId, prompt: [{ type: 'text', text }] });
  }

  /** Sends one request line outside the SDK (not validated) and returns the agent's raw response. */
  async rawRequest(method: string, params?: unknown, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const id = `raw-${++this.rawId}`;
    const message: Record<string, unknown> = { jsonrpc: '2.0', id, method };
    if (params !== undefined) message.params = params;
    return this.sendRaw(JSON.stringify(message), (m) => m.id === id && !('method' in m), timeoutMs);
  }

  /** Sends a raw notification (no response expected). */
  async rawNotify(method: string, params?: unknown): Promise<void> {
    await this.writeLine(JSON.stringify({ jsonrpc: '2.0', method, params }), true);
  }

  /**
   * Writes `line` as is (a newline is added) and waits for the first agent message that
   * `matches`; the default waits for a response with `id: null` (how parse errors come back).
   */
  async sendRaw(
    line: string,
    matches: (m: Record<string, unknown>) => boolean = (m) => m.id === null && !('method' in m),
    timeoutMs = 10_000,
  ): Promise<Record<string, unknown>> {
    const response = new Promise<Record<string, unknown>>((resolve, reject) => {
      const waiter: RawWaiter = {
        matches,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.rawWaiters.delete(waiter);
        reject(new Error(`no answer to raw line within ${timeoutMs} ms: ${line.slice(0, 200)}\nstderr:\n${this.stderrText.slice(-2000)}`));
      }, timeoutMs);
      this.rawWaiters.add(waiter);
    });
    await this.writeLine(line, true);
    return response;
  }

  /** Polls until `condition` holds. */
  async waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (this.exitInfo) throw new Error(`agent exited (${JSON.stringify(this.exitInfo)}) while waiting for ${what}\nstderr:\n${this.stderrText.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Closes stdin and waits for a clean exit; SIGKILLs after `timeoutMs`. */
  async stop(timeoutMs = 5_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; timedOut: boolean }> {
    this.child.stdin!.end();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.child.kill('SIGKILL');
    }, timeoutMs);
    const info = await this.exited;
    clearTimeout(timer);
    this.dispose();
    return { ...info, timedOut };
  }

  async kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.exitInfo) this.child.kill('SIGKILL');
    const info = await this.exited;
    this.dispose();
    return info;
  }

  private dispose(): void {
    this.connection.close();
    this.clientSide.disposeAll();
    for (const dir of this.tempDirs) rmSync(dir, { recursive: true, force: true });
  }

  private tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.tempDirs.push(dir);
    return dir;
  }

  private buildClient(): acp.ClientApp {
    const app = acp
      .client({ name: 'tether-e2e' })
      .onRequest(acp.methods.client.session.requestPermission, async ({ params }) => {
        this.permissionRequests.push(params);
        return this.onPermission(params);
      })
      .onNotification(acp.methods.client.session.update, ({ params }) => {
        const list = this.updates.get(params.sessionId) ?? [];
        list.push(params.update);
        this.updates.set(params.sessionId, list);
      });
    const side = this.clientSide;
    if (this.options.fs) {
      app.onRequest(acp.methods.client.fs.readTextFile, ({ params }) => side.readTextFile(params));
      app.onRequest(acp.methods.client.fs.writeTextFile, ({ params }) => side.writeTextFile(params));
    }
    if (this.options.terminal) {
      app.onRequest(acp.methods.client.terminal.create, ({ params }) => side.createTerminal(params));
      app.onRequest(acp.methods.client.terminal.output, ({ params }) => side.terminalOutput(params));
      app.onRequest(acp.methods.client.terminal.waitForExit, ({ params }) => side.waitForTerminalExit(params));
      app.onRequest(acp.methods.client.terminal.kill, ({ params }) => side.killTerminal(params));
      app.onRequest(acp.methods.client.terminal.release, ({ params }) => side.releaseTerminal(params));
    }
    return app;
  }

  private record(direction: Direction, line: string, raw: boolean): CapturedMessage {
    const entry: CapturedMessage = {
      seq: this.seq++,
      direction,
      at: Math.round(performance.now() - this.startedAt),
      line,
      bytes: Buffer.byteLength(line) + 1,
      problems: [],
      raw,
    };
    if (direction === 'client->agent') this.bytes.toAgent += entry.bytes;
    else this.bytes.fromAgent += entry.bytes;
    try {
      entry.message = JSON.parse(line);
    } catch {
      if (!raw) entry.problems.push(`${direction}: line is not JSON: ${line.slice(0, 120)}`);
    }
    const m = entry.message as Record<string, unknown> | undefined;
    if (raw) {
      // Not validated, but its id is remembered so the agent's answer can be checked.
      if (m && typeof m === 'object' && typeof m.method === 'string' && 'id' in m) this.validator.pending.set(pendingKey(direction, m.id), m.method);
    } else if (entry.message !== undefined) {
      entry.problems.push(...this.validator.validate(entry.message, direction));
      if (direction === 'agent->client' && m && typeof m.method === 'string' && 'id' in m) this.checkCapability(m.method);
    }
    this.log.push(entry);
    return entry;
  }

  private checkCapability(method: string): void {
    if (method.startsWith('fs/') && !this.options.fs) this.extraProblems.push(`agent called ${method} although the client did not advertise fs`);
    if (method.startsWith('terminal/') && !this.options.terminal) this.extraProblems.push(`agent called ${method} although the client did not advertise terminal`);
  }

  private writeLine(line: string, raw: boolean): Promise<void> {
    for (const part of line.split('\n')) if (part.trim()) this.record('client->agent', part, raw);
    const data = Buffer.from(`${line}\n`);
    this.writeChain = this.writeChain.then(
      () => new Promise<void>((resolve) => (this.child.stdin!.writable ? this.child.stdin!.write(data, () => resolve()) : resolve())),
    );
    return this.writeChain;
  }

  /** The SDK writes here; each write is one JSON line. */
  private tapOutgoing(): WritableStream<Uint8Array> {
    const decoder = new TextDecoder();
    let pending = '';
    return new WritableStream<Uint8Array>({
      write: async (chunk) => {
        pending += decoder.decode(chunk, { stream: true });
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) await this.writeLine(line, false);
      },
    });
  }

  /** Reads the agent's stdout line by line; answers to raw lines are kept from the SDK. */
  private tapIncoming(): ReadableStream<Uint8Array> {
    const encoder = new TextEncoder();
    let pending = '';
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.child.stdout!.on('data', (chunk: Buffer) => {
          pending += chunk.toString('utf8');
          const lines = pending.split('\n');
          pending = lines.pop() ?? '';
          for (const line of lines) {
            if (!line.trim()) continue;
            const entry = this.record('agent->client', line, false);
            if (entry.message === undefined) continue; // stdout noise: logged as a problem, kept from the SDK
            if (this.claimRaw(entry.message)) continue;
            controller.enqueue(encoder.encode(`${line}\n`));
          }
        });
        this.child.stdout!.on('end', () => {
          if (pending.trim()) this.record('agent->client', pending, false).problems.push('agent->client: last line has no newline');
          controller.close();
        });
      },
    });
  }

  private claimRaw(message: unknown): boolean {
    if (!message || typeof message !== 'object') return false;
    const m = message as Record<string, unknown>;
    for (const waiter of this.rawWaiters) {
      if (waiter.matches(m)) {
        this.rawWaiters.delete(waiter);
        waiter.resolve(m);
        return true;
      }
    }
    // Late answers to raw requests (after a timeout) never reach the SDK either.
    return (typeof m.id === 'string' && m.id.startsWith('raw-') && !('method' in m)) || (m.id === null && !('method' in m));
  }
}
