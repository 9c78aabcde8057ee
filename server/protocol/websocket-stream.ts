// ACP over one WebSocket as an SDK Stream: one JSON-RPC message per text frame.
// Frames that are not a JSON-RPC object are answered here (id null) and never reach the app;
// the frame size limit belongs to the socket (`ws` maxPayload closes with 1009 before buffering).
import { RequestError, type AnyMessage, type AnyResponse, type Stream } from '@agentclientprotocol/sdk';
import { WebSocket, type RawData } from 'ws';

export interface WebSocketStreamOptions {
  /** Bytes queued on the socket above which a write waits until its frame is flushed. */
  writeHighWaterMark?: number;
  /** Parsed messages waiting for the reader above which the socket stops reading. */
  readHighWaterMark?: number;
  /** Told about every frame rejected here, for the log. */
  onRejectedFrame?: (error: RequestError) => void;
}

export const DEFAULT_WRITE_HIGH_WATER_MARK = 1024 * 1024;
export const DEFAULT_READ_HIGH_WATER_MARK = 64;
/** Close code and reason used when our side of the stream ends normally. */
export const NORMAL_CLOSE = { code: 1000, reason: 'ACP connection closed' } as const;

/** What one received frame turns into: a message for the app, or an error answered with id null. */
export function parseFrame(data: RawData, isBinary: boolean): AnyMessage | RequestError {
  if (isBinary) return RequestError.invalidRequest(undefined, 'binary frames are not supported; send each JSON-RPC message as a text frame');
  let value: unknown;
  try {
    value = JSON.parse(rawToString(data));
  } catch {
    return RequestError.parseError(undefined, 'the frame is not valid JSON');
  }
  if (Array.isArray(value)) return RequestError.invalidRequest(undefined, 'JSON-RPC batches are not supported');
  if (typeof value !== 'object' || value === null) return RequestError.invalidRequest(undefined, 'a JSON-RPC message must be an object');
  return value as AnyMessage;
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function errorResponse(error: RequestError): AnyResponse {
  return { jsonrpc: '2.0', id: null, error: error.toErrorResponse() };
}

/** An SDK Stream over an open `ws` socket. Ending either side closes the socket with 1000. */
export function webSocketStream(socket: WebSocket, options: WebSocketStreamOptions = {}): Stream {
  const writeHighWaterMark = options.writeHighWaterMark ?? DEFAULT_WRITE_HIGH_WATER_MARK;
  const closeSocket = () => {
    if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
      socket.close(NORMAL_CLOSE.code, NORMAL_CLOSE.reason);
    }
  };
  const send = (message: AnyMessage) => sendMessage(socket, message, writeHighWaterMark);
  let reader: FrameReader | undefined;
  const readable = new ReadableStream<AnyMessage>(
    {
      start: (controller) => {
        reader = new FrameReader(socket, controller, send, options.onRejectedFrame);
      },
      // The reader drained below the mark: let the socket read again.
      pull: () => {
        if (socket.isPaused) socket.resume();
      },
      cancel: () => {
        reader?.detach();
        closeSocket();
      },
    },
    new CountQueuingStrategy({ highWaterMark: options.readHighWaterMark ?? DEFAULT_READ_HIGH_WATER_MARK }),
  );
  const writable = new WritableStream<AnyMessage>({ write: send, close: closeSocket, abort: closeSocket });
  return { readable, writable };
}

/** Turns socket frames into enqueued messages until the socket closes or the reader cancels. */
class FrameReader {
  private state: 'reading' | 'ended' = 'reading';

  constructor(
    private readonly socket: WebSocket,
    private readonly controller: ReadableStreamDefaultController<AnyMessage>,
    private readonly send: (message: AnyMessage) => Promise<void>,
    private readonly onRejectedFrame: ((error: RequestError) => void) | undefined,
  ) {
    socket.on('message', this.onMessage);
    socket.once('close', this.onClose);
    // `ws` always follows an error with close; this listener only keeps the error from being thrown.
    socket.on('error', ignore);
    if (socket.readyState === WebSocket.CLOSING || socket.readyState === WebSocket.CLOSED) this.onClose();
  }

  /** Stops delivering; the stream was cancelled, so the controller must not be touched again. */
  detach(): void {
    this.state = 'ended';
    this.socket.off('message', this.onMessage);
    this.socket.off('close', this.onClose);
  }

  private readonly onMessage = (data: RawData, isBinary: boolean): void => {
    if (this.state !== 'reading') return;
    const parsed = parseFrame(data, isBinary);
    if (parsed instanceof RequestError) {
      this.onRejectedFrame?.(parsed);
      this.send(errorResponse(parsed)).catch(ignore);
      return;
    }
    this.controller.enqueue(parsed);
    // The app is not keeping up: stop reading frames until pull() asks for more.
    if ((this.controller.desiredSize ?? 1) <= 0 && !this.socket.isPaused) this.socket.pause();
  };

  private readonly onClose = (): void => {
    if (this.state !== 'reading') return;
    this.detach();
    this.controller.close();
  };
}

function ignore(): void {}

/** Sends one frame; waits for the flush only when the socket's queue is above the mark. */
function sendMessage(socket: WebSocket, message: AnyMessage, highWaterMark: number): Promise<void> {
  if (socket.readyState !== WebSocket.OPEN) return Promise.reject(new Error('the WebSocket is closed'));
  return new Promise((resolve, reject) => {
    let waiting = false;
    let outcome: { error?: Error } | undefined;
    const settle = () => (outcome?.error ? reject(outcome.error) : resolve());
    socket.send(JSON.stringify(message), (error) => {
      outcome = { error };
      if (waiting) settle();
    });
    waiting = socket.bufferedAmount > highWaterMark;
    if (!waiting || outcome) settle();
  });
}
