// Hostile JSON-RPC frames for the transport fuzz tests, generated with fast-check from a fixed
// seed. Each frame says what a correct server must do with it: answer its id exactly once
// (optionally with one of some error codes), or never answer a given id.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';

export const FUZZ_SEED = Number(process.env.TETHER_FUZZ_SEED ?? 20261107);

/** JSON-RPC's own codes plus the ones ACP and Tether document. */
export const KNOWN_ERROR_CODES = new Set([-32700, -32600, -32601, -32602, -32603, -32000, -32002, -32800, -32010]);

export interface Frame {
  kind: string;
  bytes: Buffer;
  /** The id key (see idKey) that must be answered exactly once. */
  expectId?: string;
  /** The answer must be an error with one of these codes. */
  expectCodes?: number[];
  /** Id keys that must never be answered (requests inside a batch, responses to nothing). */
  forbidIds?: string[];
  /** Send as a binary WebSocket frame (stdio ignores it). */
  binary?: boolean;
}

export const idKey = (id: unknown) => `${typeof id}:${JSON.stringify(id)}`;

/** A JSON id only JSON-RPC's string and finite-number ids are answered by id. */
export function usableId(id: unknown): boolean {
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
}

const line = (value: unknown) => Buffer.from(JSON.stringify(value));
const noNewline = (bytes: Uint8Array) => Buffer.from(bytes.filter((b) => b !== 0x0a));

export interface FrameContext {
  /** A real session open on the fuzzed connection, so typed-but-wrong params reach real state. */
  sessionId: string;
  cwd: string;
}

/** Valid params per real method; one field at a time is replaced by a wrong-typed value. */
function templates(ctx: FrameContext): Record<string, Record<string, unknown>> {
  return {
    initialize: { protocolVersion: 1, clientCapabilities: { fs: { readTextFile: false, writeTextFile: false }, terminal: false } },
    'session/new': { cwd: ctx.cwd, mcpServers: [] },
    'session/prompt': { sessionId: ctx.sessionId, prompt: [{ type: 'text', text: 'hi' }] },
    'session/load': { sessionId: ctx.sessionId, cwd: ctx.cwd, mcpServers: [] },
    'session/set_config_option': { sessionId: ctx.sessionId, configId: 'mode', value: 'default' },
    '_tether/session/attach': { sessionId: ctx.sessionId, afterSeq: 0 },
  };
}

/** Values whose JSON type differs from `like`'s (strings get non-strings, and so on). */
function wrongTypeFor(like: unknown): fc.Arbitrary<unknown> {
  const all = {
    string: fc.string(),
    number: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
    boolean: fc.boolean(),
    null: fc.constant(null),
    array: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
    object: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  };
  const type = like === null ? 'null' : Array.isArray(like) ? 'array' : typeof like;
  const others = Object.entries(all).filter(([name]) => name !== type).map(([, arb]) => arb);
  return fc.oneof(...others);
}

export function frameArbitrary(ctx: FrameContext, counter: { next: number }): fc.Arbitrary<Frame> {
  const uid = () => `fz-${counter.next++}`;
  const methods = templates(ctx);
  const methodNames = Object.keys(methods);

  const garbage = fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b): Frame => ({ kind: 'garbage bytes', bytes: noNewline(b) }));

  const badUtf8 = fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b): Frame => {
    const id = uid();
    const bytes = Buffer.concat([Buffer.from(`{"jsonrpc":"2.0","id":"${id}","method":"x`), Buffer.from(b.map((x) => 0x80 | x)), Buffer.from('"}')]);
    // Decoded with replacement characters: an unknown method, answered by id.
    return { kind: 'invalid utf-8', bytes, expectId: idKey(id), expectCodes: [-32601] };
  });

  const truncated = fc.tuple(fc.constantFrom(...methodNames), fc.double({ min: 0, max: 0.999, noNaN: true })).map(([method, cut]): Frame => {
    const full = JSON.stringify({ jsonrpc: '2.0', id: uid(), method, params: methods[method] });
    return { kind: 'truncated json', bytes: Buffer.from(full.slice(0, Math.floor(full.length * cut))) };
  });

  const deep = fc.tuple(fc.integer({ min: 100, max: 20_000 }), fc.constantFrom('id', 'params', 'meta', 'whole', 'result'), fc.boolean()).map(
    ([depth, where, arrays]): Frame => {
      const nest = arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
      const id = uid();
      const head = `{"jsonrpc":"2.0","id":"${id}","method":"session/prompt","params":`;
      switch (where) {
        case 'id':
          return { kind: 'deep id', bytes: Buffer.from(`{"jsonrpc":"2.0","id":${nest},"method":"initialize","params":{"protocolVersion":1}}`) };
        case 'params':
          return { kind: 'deep params', bytes: Buffer.from(`${head}${nest}}`), expectId: idKey(id), expectCodes: [-32600, -32602] };
        case 'meta':
          return {
            kind: 'deep _meta',
            bytes: Buffer.from(`${head}{"sessionId":"nope","prompt":[{"type":"text","text":"x"}],"_meta":{"x":${nest}}}}`),
            expectId: idKey(id),
            expectCodes: [-32600, -32602, -32002],
          };
        case 'result':
          return { kind: 'deep response', bytes: Buffer.from(`{"jsonrpc":"2.0","id":"${id}","result":${nest}}`), forbidIds: [idKey(id)] };
        default:
          return { kind: 'deep whole', bytes: Buffer.from(nest) };
      }
    },
  );

  const wrongTypes = fc
    .constantFrom(...methodNames)
    .chain((method) => {
      const params = methods[method]!;
      return fc.constantFrom(...Object.keys(params)).chain((field) => wrongTypeFor(params[field]).map((value) => ({ method, field, value, params })));
    })
    .map(({ method, field, value, params }): Frame => {
      const id = uid();
      const frame: Frame = { kind: `wrong type ${method}.${field}`, bytes: line({ jsonrpc: '2.0', id, method, params: { ...params, [field]: value } }), expectId: idKey(id) };
      // The SDK's own schemas accept these on purpose (clientCapabilities falls back to its default,
      // mcpServers may be null): answered once, with whatever the method returns.
      const tolerated = field === 'clientCapabilities' || (field === 'mcpServers' && value === null);
      if (!tolerated) frame.expectCodes = [-32602];
      return frame;
    });

  const wrongParams = fc.tuple(fc.constantFrom(...methodNames), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.jsonValue({ maxDepth: 2 })))).map(
    ([method, params]): Frame => {
      const id = uid();
      return { kind: `non-object params ${method}`, bytes: line({ jsonrpc: '2.0', id, method, params }), expectId: idKey(id), expectCodes: [-32602, -32600] };
    },
  );

  const unknownMethod = fc
    .string({ minLength: 1, maxLength: 40 })
    .filter((m) => !methodNames.includes(m) && !m.startsWith('session/') && m !== 'authenticate' && m !== 'initialize')
    .map((method): Frame => {
      const id = uid();
      return { kind: 'unknown method', bytes: line({ jsonrpc: '2.0', id, method, params: {} }), expectId: idKey(id), expectCodes: [-32601] };
    });

  // Ids of every JSON type; string and number ids are made unique so "exactly once" is checkable.
  const anyId = fc
    .oneof(
      fc.string({ maxLength: 20 }).map((s) => `${uid()}${s}`),
      fc.constant(0).map(() => 1e9 + counter.next++ + 0.5),
      fc.constant(0).map(() => -(counter.next++)),
      fc.constant(null),
      fc.boolean(),
      fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
    )
    .map((id): Frame => {
      const frame: Frame = { kind: `id of type ${id === null ? 'null' : Array.isArray(id) ? 'array' : typeof id}`, bytes: line({ jsonrpc: '2.0', id, method: 'session/list', params: {} }) };
      if (usableId(id)) frame.expectId = idKey(id);
      return frame;
    });

  const batch = fc.integer({ min: 0, max: 5 }).map((n): Frame => {
    const ids = Array.from({ length: n }, uid);
    return { kind: 'batch', bytes: line(ids.map((id) => ({ jsonrpc: '2.0', id, method: 'session/list', params: {} }))), forbidIds: ids.map(idKey) };
  });

  const notificationWithId = fc.constantFrom('session/cancel', 'session/update').map((method): Frame => {
    const id = uid();
    return { kind: `${method} with an id`, bytes: line({ jsonrpc: '2.0', id, method, params: { sessionId: ctx.sessionId } }), expectId: idKey(id) };
  });

  const notification = fc.tuple(fc.constantFrom('session/cancel', 'nope/notify', '_tether/x'), fc.jsonValue({ maxDepth: 2 })).map(
    ([method, params]): Frame => ({ kind: 'notification', bytes: line({ jsonrpc: '2.0', method, params }) }),
  );

  const orphanResponse = fc.tuple(fc.boolean(), fc.jsonValue({ maxDepth: 2 })).map(([ok, value]): Frame => {
    const id = uid();
    const body = ok ? { result: value } : { error: { code: -32000, message: String(value) } };
    return { kind: 'response to nothing', bytes: line({ jsonrpc: '2.0', id, ...body }), forbidIds: [idKey(id)] };
  });

  const badEnvelope = fc
    .record({ jsonrpc: fc.oneof(fc.constant('1.0'), fc.integer(), fc.constant(undefined)), extra: fc.jsonValue({ maxDepth: 1 }) })
    .map(({ jsonrpc, extra }): Frame => ({ kind: 'bad envelope', bytes: line({ jsonrpc, id: uid(), method: 'session/list', extra }) }));

  const primitive = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean()).map((v): Frame => ({ kind: 'json primitive', bytes: line(v) }));

  // Real requests on the real session: each is answered (result or error), none hangs.
  const realRequest = fc.constantFrom(...methodNames).map((method): Frame => {
    const id = uid();
    return { kind: `valid ${method}`, bytes: line({ jsonrpc: '2.0', id, method, params: methods[method] }), expectId: idKey(id) };
  });

  // Session ids that are strings but not ids: path tricks, empty, huge, unicode.
  const hostileSessionId = fc
    .tuple(
      fc.constantFrom('session/load', 'session/prompt', 'session/set_config_option', '_tether/session/attach', 'session/resume', 'session/close'),
      fc.oneof(fc.constantFrom('', '../../etc/passwd', '..', '/', 'a/b', 'x'.repeat(200), 'nul\u0000l', '%2e%2e'), fc.string({ maxLength: 30 })),
    )
    .map(([method, sid]): Frame => {
      const id = uid();
      const params = { ...methods[method], sessionId: sid, cwd: ctx.cwd, mcpServers: [] };
      return { kind: `hostile sessionId ${method}`, bytes: line({ jsonrpc: '2.0', id, method, params }), expectId: idKey(id), expectCodes: [-32602, -32002] };
    });

  return fc.oneof(
    { arbitrary: hostileSessionId, weight: 6 },
    { arbitrary: garbage, weight: 10 },
    { arbitrary: badUtf8, weight: 6 },
    { arbitrary: truncated, weight: 8 },
    { arbitrary: deep, weight: 2 },
    { arbitrary: wrongTypes, weight: 25 },
    { arbitrary: wrongParams, weight: 6 },
    { arbitrary: unknownMethod, weight: 8 },
    { arbitrary: anyId, weight: 10 },
    { arbitrary: batch, weight: 4 },
    { arbitrary: notificationWithId, weight: 4 },
    { arbitrary: notification, weight: 4 },
    { arbitrary: orphanResponse, weight: 5 },
    { arbitrary: badEnvelope, weight: 4 },
    { arbitrary: primitive, weight: 3 },
    { arbitrary: realRequest, weight: 3 },
  );
}

/** `count` frames from the fixed seed; the same seed gives the same frames. */
export function sampleFrames(ctx: FrameContext, count: number, seed = FUZZ_SEED): Frame[] {
  const counter = { next: 1 };
  return fc.sample(frameArbitrary(ctx, counter), { numRuns: count, seed });
}

/** A burst of valid requests with fresh ids (a flood), on the real session where they need one. */
export function floodFrames(count: number, prefix: string, sessionId: string): Frame[] {
  const requests: Array<[string, unknown]> = [
    ['initialize', { protocolVersion: 1, clientCapabilities: {} }],
    ['session/set_mode', { sessionId, modeId: 'default' }],
    ['session/set_config_option', { sessionId, configId: 'mode', value: 'default' }],
    ['no/such/method', {}],
  ];
  return Array.from({ length: count }, (_, i) => {
    const id = `${prefix}-${i}`;
    const [method, params] = requests[i % requests.length]!;
    return { kind: 'flood', bytes: line({ jsonrpc: '2.0', id, method, params }), expectId: idKey(id), expectCodes: method === 'no/such/method' ? [-32601] : undefined };
  });
}

export interface MemoryFigures {
  rssMiB: number;
  pssMiB: number;
}

/** RSS and PSS of a process from /proc (Linux). */
export function memoryOf(pid: number): MemoryFigures {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  let pssKb = NaN;
  try {
    pssKb = Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? NaN);
  } catch {
    // smaps_rollup needs a newer kernel; RSS alone still bounds the growth.
  }
  return { rssMiB: Math.round((rssKb / 1024) * 10) / 10, pssMiB: Math.round((pssKb / 1024) * 10) / 10 };
}

/** Checks one parsed outbound message: a JSON-RPC 2.0 request, notification or response. */
export function envelopeProblem(message: unknown): string | undefined {
  if (!message || typeof message !== 'object' || Array.isArray(message)) return 'not a JSON object';
  const m = message as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') return 'jsonrpc is not "2.0"';
  if (typeof m.method === 'string') return undefined;
  if (!('id' in m)) return 'neither a method nor an id';
  if (!(m.id === null || usableId(m.id))) return 'response id is not a string, number or null';
  if (('result' in m) === ('error' in m)) return 'a response needs exactly one of result and error';
  if ('error' in m) {
    const error = m.error as Record<string, unknown> | null;
    if (!error || typeof error.code !== 'number' || !Number.isInteger(error.code) || typeof error.message !== 'string') return 'malformed error object';
  }
  return undefined;
}
