// WebSocket mode of the scripted Responses server, faithful where clients can go wrong:
// each connection caches only its latest completed response, `previous_response_id` is
// resolved against that cache alone, any failed turn evicts it, one response runs at a
// time, and a connection dies at its age limit with `websocket_connection_limit_reached`.
import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { outputItems, playTurn, type EventSink } from './scripted-responses-events';
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
  type ServerState,
} from './scripted-responses-state';

export interface SocketMode {
  upgrades: { status: number; authorization?: string; extensions?: string }[];
  rejectUpgrades(status: number | undefined): void;
  openConnections(): number;
  /** Cuts every connection without a close frame, as a network failure would. */
  dropConnections(): void;
  /** Forgets every connection's cached response, as a server restart behind the socket would. */
  evictCaches(): void;
  closeAll(): void;
}

interface Connection {
  id: number;
  ws: WebSocket;
  tcp: Socket;
  /** TCP bytes read before the current message: the difference is its size on the wire. */
  lastRead: number;
  /** The latest completed response: the only one a continuation may name. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  latest?: { id: string; input: any[]; output: any[] };
  busy: boolean;
  limitReached: boolean;
  closed: AbortController;
}

type Json = Record<string, unknown>;

export function attachSocketMode(state: ServerState, server: Server): SocketMode {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: true });
  const mode: SocketMode & { rejectStatus?: number } = {
    upgrades: [],
    rejectUpgrades: (status) => (mode.rejectStatus = status),
    openConnections: () => open.size,
    dropConnections: () => {
      for (const connection of open) connection.ws.terminate();
    },
    evictCaches: () => {
      for (const connection of open) connection.latest = undefined;
    },
    closeAll: () => {
      for (const connection of open) connection.ws.terminate();
      wss.close();
    },
  };
  const open = new Set<Connection>();
  let connections = 0;
  server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
    const entry = { status: 101, authorization: req.headers.authorization, extensions: req.headers['sec-websocket-extensions'] };
    mode.upgrades.push(entry);
    if (path !== '/v1/responses') return refuse(socket, (entry.status = 404), `Unknown WebSocket URL ${path}. Try /v1/responses.`);
    if (mode.rejectStatus) return refuse(socket, (entry.status = mode.rejectStatus), 'Upgrade refused by the script.');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = connect(state, ws, req.socket, ++connections);
      open.add(connection);
      ws.on('close', () => open.delete(connection));
    });
  });
  return mode;
}

function refuse(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify(errorBody(message, 'invalid_request_error'));
  const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`, 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

function connect(state: ServerState, ws: WebSocket, tcp: Socket, id: number): Connection {
  const connection: Connection = { id, ws, tcp, lastRead: tcp.bytesRead, busy: false, limitReached: false, closed: new AbortController() };
  const limitMs = state.options.connectionLimitMs;
  const timer = limitMs
    ? setTimeout(() => {
        connection.limitReached = true;
        // A response in flight finishes first; the limit is enforced right after it.
        if (!connection.busy) closeAtLimit(connection);
      }, limitMs)
    : undefined;
  ws.on('message', (data: Buffer) => {
    const wireBytes = tcp.bytesRead - connection.lastRead;
    connection.lastRead = tcp.bytesRead;
    onMessage(state, connection, data.toString('utf8'), wireBytes).catch(() => ws.terminate());
  });
  ws.on('close', () => {
    clearTimeout(timer);
    connection.closed.abort();
  });
  return connection;
}

function closeAtLimit(connection: Connection, record?: RecordedResponsesRequest): void {
  const message = 'Responses websocket connection limit reached (60 minutes). Create a new websocket connection to continue.';
  sendError(connection, record, 400, 'websocket_connection_limit_reached', message);
  connection.ws.close(1000, 'connection limit reached');
}

function sendError(connection: Connection, record: RecordedResponsesRequest | undefined, status: number, code: string, message: string): void {
  // Any failed turn evicts the cached response, as the API does.
  connection.latest = undefined;
  if (record) {
    record.outcome = 'error';
    record.errorCode = code;
    record.completedAt = preciseNow();
  }
  const type = status >= 500 ? 'server_error' : 'invalid_request_error';
  send(connection, record, { type: 'error', status, error: { type, code, message, param: null } });
}

function send(connection: Connection, record: RecordedResponsesRequest | undefined, event: Json, written?: () => void): boolean {
  if (connection.ws.readyState !== connection.ws.OPEN) {
    written?.();
    return false;
  }
  const text = JSON.stringify(event);
  if (record) record.responseBytes += Buffer.byteLength(text);
  connection.ws.send(text, () => written?.());
  return true;
}

async function onMessage(state: ServerState, connection: Connection, text: string, wireBytes: number): Promise<void> {
  let body: Json;
  try {
    body = JSON.parse(text) as Json;
  } catch {
    return sendError(connection, undefined, 400, 'invalid_json', 'The message is not valid JSON.');
  }
  const record = newRecord(state, { transport: 'websocket', body, bytes: Buffer.byteLength(text), wireBytes, connectionId: connection.id });
  const problem = requestProblem(state, connection, record);
  if (problem === 'limit') return closeAtLimit(connection, record);
  if (problem) return sendError(connection, record, 400, problem.code, problem.message);
  const turn = pickTurn(state, record);
  if (typeof turn === 'string') return sendError(connection, record, 500, 'server_error', turn);
  if (turn.connectionLimit) return closeAtLimit(connection, record);
  if (turn.httpError) {
    const { status } = turn.httpError;
    const given = (turn.httpError.body as { error?: { code?: string; message?: string } } | undefined)?.error;
    const code = given?.code ?? (status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request');
    return sendError(connection, record, status, code, given?.message ?? `scripted ${status} error`);
  }
  connection.busy = true;
  try {
    await linkDelay(state, wireBytes, connection.closed.signal);
    await playSocketTurn(state, connection, record, turn);
  } finally {
    connection.busy = false;
  }
  if (connection.limitReached) closeAtLimit(connection);
}

async function playSocketTurn(state: ServerState, connection: Connection, record: RecordedResponsesRequest, turn: Parameters<typeof playTurn>[0]) {
  const context = turnContext(state, record, !state.options.fullCompletedOverSocket);
  // Frames go through deflate asynchronously: a drop must wait for them, or they would vanish with it.
  let flushed = Promise.resolve();
  const sink: EventSink = {
    closed: connection.closed.signal,
    drop: async () => {
      await flushed;
      connection.ws.terminate();
    },
    send: (event) => {
      let written = () => {};
      flushed = new Promise((resolve) => (written = resolve));
      return send(connection, record, event, written);
    },
  };
  const outcome = await playTurn(turn, context, sink);
  record.outcome = outcome;
  record.completedAt = preciseNow();
  if (outcome === 'dropped') record.disconnectedAt ??= Date.now();
  connection.latest = outcome === 'completed' ? { id: context.responseId, input: record.input, output: outputItems(turn, context) } : undefined;
}

/** Why the request cannot be served, resolving `record.input` when it can. */
function requestProblem(state: ServerState, connection: Connection, record: RecordedResponsesRequest): { code: string; message: string } | 'limit' | undefined {
  const body = record.body as Json;
  if (body.type !== 'response.create') return { code: 'unknown_event_type', message: `Unsupported event type '${String(body.type)}'.` };
  if (connection.busy) return { code: 'response_in_progress', message: 'A response is already in progress on this connection; send one response.create at a time.' };
  if (connection.limitReached || state.faults[record.index]?.connectionLimit) return 'limit';
  for (const field of ['stream', 'background']) {
    if (field in body) return { code: 'unsupported_parameter', message: `'${field}' is not supported over WebSocket.` };
  }
  const previous = record.previousResponseId;
  if (previous && connection.latest?.id !== previous) {
    return { code: 'previous_response_not_found', message: `Previous response with id '${previous}' not found.` };
  }
  const latest = connection.latest;
  record.input = previous && latest ? [...latest.input, ...latest.output, ...inputList(body.input)] : inputList(body.input);
  const unanswered = unansweredOutput(record.input);
  return unanswered ? { code: 'invalid_request', message: unanswered } : undefined;
}
