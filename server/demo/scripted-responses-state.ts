// State and helpers both transports of the scripted Responses server share: the request
// record, script selection with faults on top, input resolution checks, the simulated link.
import { wait, type ScriptedTurn, type TurnContext } from './scripted-responses-events';
import { preciseNow } from './scripted-http';

export { preciseNow };

export interface RecordedResponsesRequest {
  /** Position among all requests of both transports; faults are keyed by it. */
  index: number;
  transport: 'http' | 'websocket';
  // Tests reach into the request body freely; its shape is the client's business.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** JSON bytes of the request. */
  bytes: number;
  /** Bytes it took on the wire: the deflated frame over the socket, the body over HTTP. */
  wireBytes: number;
  previousResponseId?: string;
  /** The whole context the turn was answered from, `previous_response_id` resolved. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  input: any[];
  /** WebSocket connection number, from 1. */
  connectionId?: number;
  responseId?: string;
  receivedAt: number;
  completedAt?: number;
  /** Set when the connection went away before the response was complete. */
  disconnectedAt?: number;
  responseBytes: number;
  outcome?: 'completed' | 'incomplete' | 'failed' | 'error' | 'dropped';
  /** The API error code answered, if any. */
  errorCode?: string;
}

export type ResponsesScript = ScriptedTurn[] | ((request: RecordedResponsesRequest, index: number) => ScriptedTurn);

export interface ScriptedResponsesServerOptions {
  script: ResponsesScript;
  host?: string;
  port?: number;
  /** Overrides merged onto the scripted turn of the request with that index (drops, errors, limits). */
  faults?: Record<number, Partial<ScriptedTurn>>;
  /** WebSocket connections answer `websocket_connection_limit_reached` and close after this long. */
  connectionLimitMs?: number;
  /** Fill `output` in `response.completed` over the socket too. Default false (sparse, as the API may). */
  fullCompletedOverSocket?: boolean;
  /** Simulated link: one-way latency per message and upload bandwidth, for the benchmark. */
  link?: { latencyMs?: number; uploadBytesPerSecond?: number };
}

/** Server state the two transports share. */
export interface ServerState {
  options: ScriptedResponsesServerOptions;
  requests: RecordedResponsesRequest[];
  faults: Record<number, Partial<ScriptedTurn>>;
  /** Next entry of an array script; a faulted request does not consume one. */
  scriptCursor: number;
  serial: number;
}


export function newRecord(state: ServerState, fields: Pick<RecordedResponsesRequest, 'transport' | 'body' | 'bytes' | 'wireBytes' | 'connectionId'>): RecordedResponsesRequest {
  const record: RecordedResponsesRequest = { index: state.requests.length, ...fields, input: [], receivedAt: preciseNow(), responseBytes: 0 };
  const previous = fields.body?.previous_response_id;
  if (typeof previous === 'string') record.previousResponseId = previous;
  state.requests.push(record);
  return record;
}

/** The turn to answer with: the script's, with any fault for this request index on top. */
export function pickTurn(state: ServerState, record: RecordedResponsesRequest): ScriptedTurn | string {
  const fault = state.faults[record.index];
  const { script } = state.options;
  let turn: ScriptedTurn | undefined;
  try {
    turn = typeof script === 'function' ? script(record, record.index) : script[state.scriptCursor];
  } catch (error) {
    return `scripted responses server: the script failed on request #${record.index}: ${(error as Error).message}`;
  }
  if (!turn) return `scripted responses server: script exhausted (request #${record.index}).`;
  if (!fault && typeof script !== 'function') state.scriptCursor++;
  return fault ? { ...turn, ...fault } : turn;
}

/** Input items as a list: a string input is one user message. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function inputList(input: unknown): any[] {
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }];
  return Array.isArray(input) ? input : [];
}

/** Like the API: every function_call_output must answer a function_call earlier in the context. */
export function unansweredOutput(input: unknown[]): string | undefined {
  const calls = new Set<string>();
  for (const item of input as { type?: string; call_id?: string }[]) {
    if (item?.type === 'function_call' && item.call_id) calls.add(item.call_id);
    if (item?.type === 'function_call_output' && !calls.has(String(item.call_id))) {
      return `No tool call found for function call output with call_id ${String(item.call_id)}.`;
    }
  }
  return undefined;
}

/** Simulated link: a request waits a round trip (2 × latency) plus its upload time before its first event. */
export async function linkDelay(state: ServerState, wireBytes: number, closed: AbortSignal): Promise<void> {
  const link = state.options.link;
  if (!link) return;
  const upload = link.uploadBytesPerSecond ? (wireBytes * 1000) / link.uploadBytesPerSecond : 0;
  const total = 2 * (link.latencyMs ?? 0) + upload;
  if (total > 0) await wait(total, closed);
}

export function turnContext(state: ServerState, record: RecordedResponsesRequest, sparseCompleted: boolean): TurnContext {
  const serial = ++state.serial;
  const responseId = `resp_scripted${serial.toString().padStart(6, '0')}`;
  record.responseId = responseId;
  const model = typeof record.body?.model === 'string' ? record.body.model : 'scripted-model';
  const include: unknown = record.body?.include;
  const encryptedReasoning = Array.isArray(include) && include.includes('reasoning.encrypted_content');
  return { responseId, model, serial, inputBytes: Buffer.byteLength(JSON.stringify(record.input)), sparseCompleted, encryptedReasoning };
}

export function errorBody(message: string, type: string, code: string | null = null) {
  return { error: { message, type, param: null, code } };
}

