// A real server on loopback that speaks the OpenAI Responses API over HTTP SSE
// (`POST /v1/responses`) and WebSocket mode (`GET /v1/responses` upgrade), replaying a
// script. It records every request so tests can assert exactly what a client sent, and can
// inject faults by request index. The WebSocket side lives in scripted-responses-socket.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeHttpServer, listenOn, readBody, sendJson } from './scripted-http';
import { playTurn } from './scripted-responses-events';
import { attachSocketMode, type SocketMode } from './scripted-responses-socket';
import {
  errorBody,
  inputList,
  linkDelay,
  newRecord,
  pickTurn,
  preciseNow,
  turnContext,
  unansweredOutput,
  type RecordedResponsesRequest,
  type ScriptedResponsesServerOptions,
  type ServerState,
} from './scripted-responses-state';
import type { ScriptedTurn } from './scripted-responses-events';

export type { ScriptedToolCall, ScriptedTurn } from './scripted-responses-events';
export type { RecordedResponsesRequest, ResponsesScript, ScriptedResponsesServerOptions } from './scripted-responses-state';

export interface ScriptedResponsesServer {
  /** Base URL ending in /v1. */
  url: string;
  requests: RecordedResponsesRequest[];
  /** Every WebSocket upgrade attempt and how it was answered. */
  upgrades: { status: number; authorization?: string; extensions?: string }[];
  /** Mutable: faults by request index, added at any time. */
  faults: Record<number, Partial<ScriptedTurn>>;
  /** Answer WebSocket upgrades with this HTTP status (426 for "use HTTP") until cleared. */
  rejectUpgrades(status: number | undefined): void;
  /** Number of WebSocket connections currently open. */
  openConnections(): number;
  /** Cuts every WebSocket connection without a close frame, as a network failure would. */
  dropConnections(): void;
  /** Forgets the cached response of every connection (the next continuation gets previous_response_not_found). */
  evictCaches(): void;
  close(): Promise<void>;
}

export async function startScriptedResponsesServer(options: ScriptedResponsesServerOptions): Promise<ScriptedResponsesServer> {
  const state: ServerState = { options, requests: [], faults: { ...options.faults }, scriptCursor: 0, serial: 0 };
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    handleHttp(state, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(`scripted responses server failed: ${(error as Error).message}`, 'server_error'));
      else res.destroy();
    });
  });
  const socketMode = attachSocketMode(state, server);
  const url = `${await listenOn(server, options.host ?? '127.0.0.1', options.port ?? 0)}/v1`;
  return {
    url,
    requests: state.requests,
    upgrades: socketMode.upgrades,
    faults: state.faults,
    rejectUpgrades: (status) => socketMode.rejectUpgrades(status),
    openConnections: () => socketMode.openConnections(),
    dropConnections: () => socketMode.dropConnections(),
    evictCaches: () => socketMode.evictCaches(),
    close: () => closeServer(server, socketMode, open),
  };
}

async function closeServer(server: Server, socketMode: SocketMode, open: Set<ServerResponse>): Promise<void> {
  socketMode.closeAll();
  await closeHttpServer(server, open);
}

async function handleHttp(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
  if (req.method !== 'POST' || path !== '/v1/responses') {
    req.resume();
    return sendJson(res, 404, errorBody(`Unknown request URL: ${req.method} ${path}. Try POST /v1/responses.`, 'invalid_request_error', 'unknown_url'));
  }
  const raw = await readBody(req);
  let body: { stream?: unknown; input?: unknown; previous_response_id?: unknown };
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return sendJson(res, 400, errorBody('The request body is not valid JSON.', 'invalid_request_error'));
  }
  const record = newRecord(state, { transport: 'http', body, bytes: raw.length, wireBytes: raw.length });
  const reject = (status: number, message: string, code: string | null = null) => {
    record.outcome = 'error';
    record.errorCode = code ?? undefined;
    sendJson(res, status, errorBody(message, 'invalid_request_error', code));
  };
  if (body.stream !== true) return reject(400, 'This scripted server only serves streaming requests over HTTP; set "stream": true.');
  // Nothing is stored with store:false, so over HTTP there is never a response to continue.
  if (record.previousResponseId) return reject(400, `Previous response with id '${record.previousResponseId}' not found.`, 'previous_response_not_found');
  record.input = inputList(body.input);
  const unanswered = unansweredOutput(record.input);
  if (unanswered) return reject(400, unanswered);
  await serveHttpTurn(state, record, req, res);
}

async function serveHttpTurn(state: ServerState, record: RecordedResponsesRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const closedController = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) record.disconnectedAt ??= Date.now();
    closedController.abort();
  });
  res.on('finish', () => (record.completedAt = preciseNow()));
  const turn = pickTurn(state, record);
  if (typeof turn === 'string') return sendJson(res, 500, errorBody(turn, 'server_error'));
  if (turn.httpError) {
    record.outcome = 'error';
    const status = turn.httpError.status;
    return sendJson(res, status, turn.httpError.body ?? errorBody(`scripted HTTP ${status} error`, status >= 500 ? 'server_error' : 'invalid_request_error'), turn.httpError.headers);
  }
  await linkDelay(state, record.wireBytes, closedController.signal);
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
  const sink = {
    closed: closedController.signal,
    drop: () => new Promise<void>((resolve) => res.write('', () => (req.socket.destroy(), resolve()))),
    send: (event: Record<string, unknown>) => {
      if (res.destroyed) return false;
      const frame = `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`;
      record.responseBytes += Buffer.byteLength(frame);
      res.write(frame);
      return true;
    },
  };
  record.outcome = await playTurn(turn, turnContext(state, record, false), sink);
  if (!res.destroyed) res.end();
}

