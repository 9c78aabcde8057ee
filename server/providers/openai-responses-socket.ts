// One WebSocket connection to `<base>/responses`, turned into a pull-style message queue
// with abort and idle timeout, plus the byte counts the metrics need.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import { SseAbortedError, SseIdleTimeoutError } from './sse';

/** The socket closed (or was never usable); nothing more will arrive on it. */
export class SocketClosedError extends Error {
  constructor(reason: string) {
    super(`the WebSocket closed (${reason})`);
    this.name = 'SocketClosedError';
  }
}

/** The server answered the upgrade with an HTTP status instead of 101. */
export class UpgradeRejectedError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: Headers,
  ) {
    super(`the WebSocket upgrade was refused with HTTP ${status}`);
    this.name = 'UpgradeRejectedError';
  }
}

export interface OpenSocketOptions {
  url: string;
  apiKey?: string;
  WebSocketImpl: typeof WebSocket;
  timeoutMs: number;
  signal: AbortSignal;
}

export interface SentMessage {
  /** JSON bytes of the message. */
  bytes: number;
  /** Bytes the frame took on the TCP socket (after permessage-deflate), when measurable. */
  wireBytes?: number;
}

const MAX_ERROR_BODY = 4096;

export class ResponsesSocket {
  private readonly queue: string[] = [];
  private wake: (() => void) | undefined;
  private closedReason: string | undefined;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      this.queue.push(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(toBuffers(data)).toString('utf8'));
      this.wake?.();
    });
    ws.on('close', (code: number) => this.markClosed(`code ${code}`));
    ws.on('error', (error: Error) => this.markClosed(error.message));
  }

  static open(options: OpenSocketOptions): Promise<ResponsesSocket> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};
      const ws = new options.WebSocketImpl(options.url, { headers, perMessageDeflate: true, handshakeTimeout: options.timeoutMs });
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        options.signal.removeEventListener('abort', onAbort);
        if (!error) return resolve(new ResponsesSocket(ws));
        ws.terminate();
        reject(error);
      };
      const onAbort = () => settle(new SseAbortedError());
      options.signal.addEventListener('abort', onAbort, { once: true });
      ws.on('unexpected-response', (request, response) => {
        readBody(response).then((body) => {
          settle(new UpgradeRejectedError(response.statusCode ?? 0, body, toHeaders(response)));
          request.destroy();
        });
      });
      // Stays attached: a late error after settling must not become an unhandled 'error' event.
      ws.on('error', (error) => settle(error));
      ws.once('open', () => settle());
    });
  }

  get isOpen(): boolean {
    return this.closedReason === undefined;
  }

  /** Drops messages left over from an earlier response (a late notice before a close, say). */
  discardPending(): void {
    this.queue.length = 0;
  }

  send(text: string): Promise<SentMessage> {
    if (!this.isOpen) return Promise.reject(new SocketClosedError(this.closedReason ?? 'closed'));
    const tcp = this.tcp();
    const before = tcp?.bytesWritten;
    return new Promise((resolve, reject) => {
      this.ws.send(text, (error) => {
        if (error) return reject(new SocketClosedError(error.message));
        const after = tcp?.bytesWritten;
        const wireBytes = before !== undefined && after !== undefined ? after - before : undefined;
        resolve({ bytes: Buffer.byteLength(text), wireBytes });
      });
    });
  }

  /** The next text frame. Rejects on abort, on idle timeout and once the socket closed and the queue is empty. */
  next(signal: AbortSignal, idleTimeoutMs: number): Promise<string> {
    const ready = this.queue.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (signal.aborted) return Promise.reject(new SseAbortedError());
    if (!this.isOpen) return Promise.reject(new SocketClosedError(this.closedReason ?? 'closed'));
    return new Promise((resolve, reject) => {
      const finish = (action: () => void) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.wake = undefined;
        action();
      };
      const onAbort = () => finish(() => reject(new SseAbortedError()));
      const timer = setTimeout(() => finish(() => reject(new SseIdleTimeoutError(idleTimeoutMs))), idleTimeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.wake = () => {
        const message = this.queue.shift();
        if (message !== undefined) finish(() => resolve(message));
        else if (!this.isOpen) finish(() => reject(new SocketClosedError(this.closedReason ?? 'closed')));
      };
    });
  }

  /** An idle pooled connection must not keep the process alive; one with a call in flight must. */
  setActive(active: boolean): void {
    const tcp = this.tcp();
    if (active) tcp?.ref();
    else tcp?.unref();
  }

  /** Drops the connection at once: the server stops generating for a cancelled response. */
  terminate(): void {
    this.markClosed('terminated by the client');
    this.ws.terminate();
  }

  /** Closes politely (release of a conversation). */
  close(): void {
    this.markClosed('closed by the client');
    this.ws.close(1000);
    this.setActive(false);
  }

  private markClosed(reason: string): void {
    this.closedReason ??= reason;
    this.wake?.();
  }

  private tcp(): Socket | undefined {
    // ws keeps the net.Socket private; reading its counters is the only way to see deflated sizes.
    return (this.ws as unknown as { _socket?: Socket })._socket ?? undefined;
  }
}

function toBuffers(data: ArrayBuffer | Buffer[]): Buffer[] {
  return Array.isArray(data) ? data : [Buffer.from(data)];
}

function toHeaders(response: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) headers.set(name, value.join(', '));
  }
  return headers;
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      if (body.length < MAX_ERROR_BODY) body += chunk;
    });
    response.on('end', () => resolve(body));
    response.on('error', () => resolve(body));
    response.on('close', () => resolve(body));
  });
}
