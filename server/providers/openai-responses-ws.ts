// The stateful Responses transport: one WebSocket per conversation, requests chained with
// `previous_response_id` when only new items were added. Every way the server can lose its
// cached response (cache miss, failed turn, dropped socket, connection age limit) is met
// with a full request on a fresh connection, and only when no event reached the caller yet.
import { sleep } from './http-post';
import { httpError, OPENAI_ENV, retryDelayMs } from './openai-chat-errors';
import { nextChain, planRequest, type ChainState } from './openai-responses-chain';
import { streamOverHttp } from './openai-responses-http';
import { httpBody, socketMessage, type RequestParts } from './openai-responses-request';
import { backoffMs, CallClock, type ResponsesSettings } from './openai-responses-shared';
import { ResponsesSocket, SocketClosedError, UpgradeRejectedError } from './openai-responses-socket';
import { ResponsesApiError, ResponsesStreamDecoder } from './openai-responses-stream';
import { SseAbortedError } from './sse';
import { ProviderError, type ModelEvent } from './types';

/** After this many failed connection attempts in a row, a conversation uses HTTP. */
const MAX_CONNECT_FAILURES = 3;
/** Transparent resends on top of maxRetries, for lost server state (each needs a new connection). */
const RECOVERY_ATTEMPTS = 2;
/** Server error codes that mean this connection's cached response is gone. */
const RECONNECT_CODES = new Set(['previous_response_not_found', 'websocket_connection_limit_reached']);
/** Upgrade answers meaning "no WebSocket mode here": use HTTP rather than fail. */
const NO_SOCKET_STATUSES = new Set([400, 404, 405, 426, 501]);

interface Conversation {
  socket?: ResponsesSocket;
  chain?: ChainState;
  connectFailures: number;
  useHttp: boolean;
  released: boolean;
  /** Serializes calls: a connection carries one response at a time. */
  tail: Promise<void>;
}

interface Retry {
  delayMs: number;
}

interface Exchange {
  parts: RequestParts;
  signal: AbortSignal;
  clock: CallClock;
  fullRequestBytes: number;
  attempt: number;
}

export class SocketTransport {
  private readonly conversations = new Map<string, Conversation>();
  private noticeGiven = false;
  private anonymous = 0;

  constructor(private readonly settings: ResponsesSettings) {}

  async *stream(parts: RequestParts, conversationId: string | undefined, signal: AbortSignal): AsyncGenerator<ModelEvent> {
    // Without a conversation id nothing can be chained safely: use a connection for this call only.
    const key = conversationId ?? `\0anonymous-${++this.anonymous}`;
    const conversation = this.conversation(key);
    const previous = conversation.tail;
    let unlock = () => {};
    conversation.tail = new Promise((resolve) => (unlock = resolve));
    try {
      await previous;
      yield* this.run(conversation, parts, signal);
    } finally {
      unlock();
      if (conversationId === undefined) this.release(key);
    }
  }

  release(conversationId: string): void {
    const conversation = this.conversations.get(conversationId);
    if (!conversation) return;
    this.conversations.delete(conversationId);
    conversation.released = true;
    conversation.socket?.close();
    conversation.socket = undefined;
    conversation.chain = undefined;
  }

  releaseAll(): void {
    for (const id of [...this.conversations.keys()]) this.release(id);
  }

  private conversation(key: string): Conversation {
    let conversation = this.conversations.get(key);
    if (!conversation) {
      conversation = { connectFailures: 0, useHttp: false, released: false, tail: Promise.resolve() };
      this.conversations.set(key, conversation);
    }
    return conversation;
  }

  private async *run(conversation: Conversation, parts: RequestParts, signal: AbortSignal): AsyncGenerator<ModelEvent> {
    const clock = new CallClock();
    const fullRequestBytes = Buffer.byteLength(httpBody(parts));
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) throw new SseAbortedError();
      if (conversation.useHttp) {
        yield* streamOverHttp(this.settings, parts, signal);
        return;
      }
      const socket = await this.connect(conversation, String(parts.settings.model), signal);
      if (!socket) continue;
      const exchange: Exchange = { parts, signal, clock, fullRequestBytes, attempt };
      const retry = yield* this.exchange(conversation, socket, exchange);
      if (!retry) return;
      if (retry.delayMs > 0) await sleep(retry.delayMs, signal);
    }
  }

  /** One request on the socket. Returns a Retry when it may be resent as is (nothing was yielded). */
  private async *exchange(conversation: Conversation, socket: ResponsesSocket, ex: Exchange): AsyncGenerator<ModelEvent, Retry | undefined> {
    const plan = planRequest(conversation.chain, ex.parts);
    // Consumed: whatever happens below, a retry must not chain on this id again.
    conversation.chain = undefined;
    socket.discardPending();
    socket.setActive(true);
    let yielded = 0;
    let ended = false;
    try {
      const sent = await socket.send(socketMessage(ex.parts, plan.input, plan.previousResponseId));
      ex.clock.sent();
      const decoder = new ResponsesStreamDecoder();
      while (!decoder.status) {
        const data = await socket.next(ex.signal, this.settings.idleTimeoutMs);
        ex.clock.received(Buffer.byteLength(data));
        for (const event of decoder.accept(data)) {
          // One frame can hold several events; none may reach the caller after an abort.
          if (ex.signal.aborted) throw new SseAbortedError();
          yielded++;
          yield event;
        }
      }
      ended = true;
      const { events, stopReason } = decoder.finish();
      // Only a completed response stays cached on the connection; an incomplete one is evicted.
      if (decoder.status === 'completed' && decoder.responseId) {
        conversation.chain = nextChain(ex.parts, decoder.replayJson(), decoder.responseId);
      }
      yield* events;
      const chained = plan.previousResponseId !== undefined;
      const metrics = ex.clock.metrics({ bytesSent: sent.bytes, wireBytesSent: sent.wireBytes, fullRequestBytes: ex.fullRequestBytes, chained });
      yield { type: 'done', stopReason, metrics };
      return undefined;
    } catch (error) {
      ended = true;
      return this.recover(conversation, error, yielded, ex);
    } finally {
      socket.setActive(false);
      // The caller stopped reading mid-response: the connection still carries that response.
      if (!ended) this.drop(conversation);
    }
  }

  /** Decides what a failed exchange means: a transparent resend, or an error for the caller. */
  private recover(conversation: Conversation, error: unknown, yielded: number, ex: Exchange): Retry {
    const canResend = yielded === 0 && ex.attempt < this.settings.maxRetries + RECOVERY_ATTEMPTS;
    if (ex.signal.aborted || error instanceof SseAbortedError) {
      // Closing is how the server learns to stop generating; it also discards the chain.
      this.drop(conversation);
      throw new SseAbortedError();
    }
    if (error instanceof SocketClosedError) {
      this.drop(conversation);
      if (canResend) return { delayMs: 0 };
      if (yielded === 0) throw new ProviderError('network', `The WebSocket connection to ${this.settings.baseUrl} kept closing before an answer.`);
      throw new ProviderError(
        'network',
        `The WebSocket connection to ${this.settings.baseUrl} closed mid-response, after part of the answer arrived. Retry the request.`,
      );
    }
    if (error instanceof ResponsesApiError) {
      // The server finished with this response; the socket stays usable unless its state is gone.
      if (error.apiCode && RECONNECT_CODES.has(error.apiCode)) {
        this.drop(conversation);
        if (canResend) return { delayMs: 0 };
      } else if (error.retryable && canResend) {
        return { delayMs: backoffMs(this.settings, ex.attempt) };
      }
      throw error;
    }
    this.drop(conversation);
    throw error;
  }

  /** The open connection, a new one, or undefined when the conversation just switched to HTTP. */
  private async connect(conversation: Conversation, model: string, signal: AbortSignal): Promise<ResponsesSocket | undefined> {
    if (conversation.socket?.isOpen) return conversation.socket;
    // A new connection holds no cached response: the chain goes with the old one.
    this.drop(conversation);
    for (;;) {
      if (conversation.released) throw new ProviderError('cancelled', 'The conversation was closed while a model request was waiting.');
      try {
        const socket = await ResponsesSocket.open({
          url: this.settings.socketEndpoint,
          apiKey: this.settings.apiKey,
          WebSocketImpl: this.settings.WebSocketImpl,
          timeoutMs: this.settings.connectTimeoutMs,
          signal,
        });
        conversation.connectFailures = 0;
        conversation.socket = socket;
        return socket;
      } catch (error) {
        if (signal.aborted || error instanceof SseAbortedError) throw new SseAbortedError();
        const delayMs = this.connectFailed(conversation, error, model);
        if (delayMs === undefined) return undefined;
        await sleep(delayMs, signal);
      }
    }
  }

  /** Classifies a failed connection: fatal (throws), fallback to HTTP (undefined), or wait and retry. */
  private connectFailed(conversation: Conversation, error: unknown, model: string): number | undefined {
    const rejected = error instanceof UpgradeRejectedError ? error : undefined;
    if (rejected && (rejected.status === 401 || rejected.status === 403)) {
      throw httpError(rejected.status, rejected.body, { baseUrl: this.settings.baseUrl, model, env: OPENAI_ENV });
    }
    if (rejected && NO_SOCKET_STATUSES.has(rejected.status)) {
      this.fallBack(conversation, `the server answered the upgrade with HTTP ${rejected.status}`);
      return undefined;
    }
    const failures = ++conversation.connectFailures;
    if (failures >= MAX_CONNECT_FAILURES) {
      this.fallBack(conversation, `${failures} connection attempts failed`);
      return undefined;
    }
    const { retryBaseMs, maxRetryDelayMs } = this.settings;
    return rejected ? retryDelayMs(rejected.headers, failures - 1, retryBaseMs, maxRetryDelayMs) : backoffMs(this.settings, failures - 1);
  }

  private fallBack(conversation: Conversation, reason: string): void {
    conversation.useHttp = true;
    this.drop(conversation);
    if (this.noticeGiven) return;
    this.noticeGiven = true;
    this.settings.notice(`tether: WebSocket mode is unavailable at ${this.settings.baseUrl} (${reason}); using HTTP for this conversation.`);
  }

  private drop(conversation: Conversation): void {
    conversation.socket?.terminate();
    conversation.socket = undefined;
    conversation.chain = undefined;
  }
}
