// The relay between the editor's stdio and the daemon's WebSocket. It forwards every line and
// frame as is (renumbering only the daemon's requests), and when the connection drops it
// answers what was in flight, reconnects, restores the editor's state (initialize, then
// `_tether/session/attach` per session from the last seq forwarded) and only then sends what
// the editor queued meanwhile.
import type { Readable, Writable } from 'node:stream';
import type WebSocket from 'ws';
import { log as defaultLog } from '../log';
import { AgentRequestIds } from './agent-requests';
import { messageKind, parseMessage, type RpcMessage } from './jsonrpc';
import { LineSplitter, frameToLine } from './lines';
import {
  ATTACH_METHOD,
  PrivateIds,
  attachedLastSeq,
  interruptedAnswer,
  reattachPlan,
  requestLine,
  supportsAttach,
  unavailableAnswer,
} from './reattach';
import { TrafficBook, type AttachTarget } from './traffic';

export interface RetryPolicy {
  /** Connection attempts in a row before the bridge gives up and exits 1. */
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export type BridgeLog = Pick<typeof defaultLog, 'debug' | 'warn' | 'error'>;

export interface BridgeOptions {
  /** The editor's side: newline-delimited JSON-RPC in, one message per line out. */
  input: Readable;
  output: Writable;
  /** An open socket to a running daemon (starting one if needed); rejects when that fails. */
  connect: () => Promise<WebSocket>;
  retry?: Partial<RetryPolicy>;
  /** Bound on each of the bridge's own requests while it reattaches. */
  requestTimeoutMs?: number;
  log?: BridgeLog;
}

/** An error answer from the daemon to one of the bridge's own requests. */
class RemoteError extends Error {}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 8, firstDelayMs: 100, maxDelayMs: 2_000 };

export class Bridge {
  private phase: 'connecting' | 'open' | 'closed' = 'connecting';
  private socket?: WebSocket;
  /** Editor messages that arrived while no connection was ready, in order. */
  private readonly queue: Array<{ line: string; message?: RpcMessage }> = [];
  private readonly book = new TrafficBook();
  private readonly agentIds = new AgentRequestIds();
  private readonly privateIds = new PrivateIds();
  private readonly privatePending = new Map<string, Pending>();
  private readonly retry: RetryPolicy;
  private readonly log: BridgeLog;
  private outputBlocked = false;
  private finish: (code: number) => void = () => {};
  readonly done = new Promise<number>((resolve) => (this.finish = resolve));

  constructor(private readonly options: BridgeOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.log = options.log ?? defaultLog;
  }

  /** Starts relaying; resolves with the exit code (0 when the editor closed stdin). */
  run(): Promise<number> {
    const splitter = new LineSplitter();
    const { input, output } = this.options;
    input.on('data', (chunk: Buffer | string) => {
      for (const line of splitter.push(chunk)) this.fromEditor(line);
    });
    input.once('end', () => {
      for (const line of splitter.end()) this.fromEditor(line);
      this.close(0);
    });
    input.once('error', () => this.close(0));
    // The editor went away (EPIPE): there is nobody left to relay for.
    output.on('error', () => this.close(0));
    void this.connectLoop();
    return this.done;
  }

  private fromEditor(line: string): void {
    if (this.phase === 'closed') return;
    const message = parseMessage(line);
    if (message && messageKind(message) === 'response') return this.answerFromEditor(message);
    if (this.phase !== 'open' || !this.socket) {
      this.queue.push({ line, message });
      return;
    }
    if (message && messageKind(message) === 'request') this.book.editorRequest(message);
    // Unparsable lines go through untouched: the daemon answers them with a parse error.
    this.socket.send(line);
  }

  /** The editor answered one of the daemon's requests: restore the daemon's id. */
  private answerFromEditor(message: RpcMessage): void {
    const target = this.agentIds.toDaemon(message.id);
    if (!target || !this.socket) {
      this.log.debug(`dropping an answer (id ${JSON.stringify(message.id)}) to a request of a closed daemon connection`);
      return;
    }
    this.socket.send(JSON.stringify({ ...message, id: target.id }));
  }

  private onFrame(data: WebSocket.RawData, isBinary: boolean): void {
    if (isBinary) return this.log.warn('dropping a binary frame from the daemon');
    const text = data.toString();
    const message = parseMessage(text);
    if (!message) return this.log.warn(`dropping a frame that is not a JSON-RPC message: ${text.slice(0, 120)}`);
    switch (messageKind(message)) {
      case 'response':
        if (this.settlePrivate(message)) return;
        this.book.agentResponse(message);
        return this.toEditor(frameToLine(text, message));
      case 'request':
        return this.toEditor(JSON.stringify({ ...message, id: this.agentIds.toEditor(message.id ?? null) }));
      case 'notification':
        this.book.agentNotification(message);
        return this.toEditor(frameToLine(text, message));
    }
  }

  private toEditor(line: string): void {
    if (this.phase === 'closed') return;
    const { output } = this.options;
    if (output.write(`${line}\n`) || this.outputBlocked) return;
    // The editor reads slower than the daemon writes: stop reading frames until it catches up.
    this.outputBlocked = true;
    this.socket?.pause();
    output.once('drain', () => {
      this.outputBlocked = false;
      this.socket?.resume();
    });
  }

  private async connectLoop(): Promise<void> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.retry.attempts; attempt++) {
      if (attempt > 0) await sleep(Math.min(this.retry.maxDelayMs, this.retry.firstDelayMs * 2 ** (attempt - 1)));
      if (this.closed) return;
      try {
        const socket = await this.options.connect();
        if (this.closed) {
          socket.close(1000);
          return;
        }
        await this.adopt(socket);
        return;
      } catch (error) {
        lastError = error;
        this.log.warn(`daemon connection attempt ${attempt + 1}/${this.retry.attempts} failed: ${errorText(error)}`);
      }
    }
    this.giveUp(errorText(lastError));
  }

  /** Takes `socket` as the connection, restores the editor's state on it, then flushes the queue. */
  private async adopt(socket: WebSocket): Promise<void> {
    this.socket = socket;
    socket.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    socket.on('error', (error) => this.log.debug(`daemon socket error: ${error.message}`));
    socket.on('close', () => this.onSocketClosed(socket));
    try {
      await this.reattach();
    } catch (error) {
      if (this.socket === socket) this.socket = undefined;
      socket.terminate();
      throw error;
    }
    if (this.closed || this.socket !== socket) throw new Error('the daemon connection closed while reattaching');
    this.phase = 'open';
    for (const { line } of this.queue.splice(0)) this.fromEditor(line);
  }

  /** A getter, so checks after an await are not narrowed away by the compiler. */
  private get closed(): boolean {
    return this.phase === 'closed';
  }

  private onSocketClosed(socket: WebSocket): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    this.rejectPrivate(new Error('the daemon connection closed'));
    // While connecting, the loop that owns the attempt sees the rejection and retries.
    if (this.phase !== 'open') return;
    this.phase = 'connecting';
    this.failInFlight();
    this.log.warn('lost the connection to the Tether daemon; reconnecting');
    void this.connectLoop();
  }

  /** Nothing will answer what the old connection held: tell the editor now so it never hangs. */
  private failInFlight(): void {
    for (const request of this.book.takeInFlight()) this.toEditor(interruptedAnswer(request));
    const abandoned = this.agentIds.forgetAll();
    if (abandoned > 0) this.log.warn(`${abandoned} daemon request(s) to the editor were abandoned with the connection`);
  }

  private async reattach(): Promise<void> {
    const plan = reattachPlan(this.book.initializeParams, this.book.attachTargets());
    if (!plan.initialize) return;
    const initialized = await this.privateRequest(plan.initialize.method, plan.initialize.params);
    if (plan.attaches.length === 0) return;
    if (!supportsAttach(initialized)) {
      this.log.warn(`the daemon cannot reattach sessions (no ${ATTACH_METHOD}); the editor has to load them again`);
      return;
    }
    await Promise.all(plan.attaches.map(({ params }) => this.attachOne(params)));
  }

  private async attachOne(target: AttachTarget): Promise<void> {
    try {
      const lastSeq = attachedLastSeq(await this.privateRequest(ATTACH_METHOD, target));
      if (lastSeq !== undefined) this.book.noteSeq(target.sessionId, lastSeq);
    } catch (error) {
      if (!(error instanceof RemoteError)) throw error;
      // The daemon refused this one session (closed, unknown, too old a tail): the others go on.
      this.log.warn(`cannot reattach session ${target.sessionId} after seq ${target.afterSeq}: ${error.message}`);
      this.book.forget(target.sessionId);
    }
  }

  /** Sends a request of the bridge's own; its answer is never shown to the editor. */
  private privateRequest(method: string, params: unknown): Promise<unknown> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error('no daemon connection'));
    const id = this.privateIds.take();
    const timeoutMs = this.options.requestTimeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.privatePending.delete(id);
        reject(new Error(`the daemon did not answer ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = <T>(settle: (value: T) => void) => (value: T) => {
        clearTimeout(timer);
        settle(value);
      };
      this.privatePending.set(id, { resolve: done(resolve), reject: done(reject) });
      socket.send(requestLine(id, method, params));
    });
  }

  private settlePrivate(message: RpcMessage): boolean {
    const id = message.id;
    const pending = typeof id === 'string' ? this.privatePending.get(id) : undefined;
    if (!pending || typeof id !== 'string') return false;
    this.privatePending.delete(id);
    if (message.error !== undefined) pending.reject(new RemoteError(remoteErrorText(message.error)));
    else pending.resolve(message.result);
    return true;
  }

  private rejectPrivate(error: Error): void {
    const pending = [...this.privatePending.values()];
    this.privatePending.clear();
    for (const entry of pending) entry.reject(error);
  }

  private giveUp(why: string): void {
    this.log.error(`giving up on the Tether daemon: ${why}`);
    for (const { message } of this.queue.splice(0)) {
      if (message && messageKind(message) === 'request') this.toEditor(unavailableAnswer(message.id ?? null, String(message.method), why));
    }
    this.close(1);
  }

  private close(code: number): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    const socket = this.socket;
    this.socket = undefined;
    socket?.close(1000);
    this.rejectPrivate(new Error('the bridge is closing'));
    const { output } = this.options;
    // Report the exit code once what was written has been handed to the editor.
    if (output.destroyed || output.writableEnded) this.finish(code);
    else output.write('', () => this.finish(code));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function remoteErrorText(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  const code = (error as { code?: unknown } | null)?.code;
  return `${typeof message === 'string' ? message : 'error'}${typeof code === 'number' ? ` (${code})` : ''}`;
}
