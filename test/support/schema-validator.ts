// Validates captured ACP v1 JSON-RPC messages against the JSON Schema the official SDK ships.
// Each `$defs` entry of that schema names its method (`x-method`) and the side that handles
// it (`x-side`: "agent", "client" or "protocol"), so a request or notification is checked
// by its method, and a response by the method of the request it answers.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';

export type Direction = 'client->agent' | 'agent->client';

/**
 * Requests seen so far whose response has not arrived, keyed by `pendingKey(direction, id)`
 * of the request. Pass the same map for every message of one connection.
 */
export type PendingMethods = Map<string, string>;

type Side = 'agent' | 'client' | 'protocol';
interface MethodSchemas {
  request?: string;
  response?: string;
  notification?: string;
}

const SCHEMA_ID = 'acp-v1';
const require = createRequire(import.meta.url);

type Json = Record<string, unknown>;

/** The tag property every branch of a tagged `oneOf` fixes with `const`, if there is one. */
function tagOf(branches: Json[]): string | undefined {
  const first = branches[0]?.properties as Record<string, Json> | undefined;
  if (!first) return undefined;
  return Object.keys(first).find((key) =>
    branches.every((b) => {
      const prop = (b.properties as Record<string, Json> | undefined)?.[key];
      return prop !== undefined && 'const' in prop && Array.isArray(b.required) && b.required.includes(key);
    }),
  );
}

function loadSchema(): { schema: Json; defs: Record<string, Json> } {
  const path = require.resolve('@agentclientprotocol/sdk/schema/v1/schema.json');
  const schema = JSON.parse(readFileSync(path, 'utf8')) as Json;
  const defs = schema.$defs as Record<string, Json>;
  // Tagged unions (SessionUpdate, ContentBlock, ...) get ajv's `discriminator`, so an invalid
  // update is reported against the branch its tag selects instead of against all fourteen.
  for (const def of Object.values(defs)) {
    const tag = Array.isArray(def.oneOf) ? tagOf(def.oneOf as Json[]) : undefined;
    if (tag) def.discriminator = { propertyName: tag };
  }
  return { schema, defs };
}

const INT_RANGES: Record<string, [number, number]> = {
  uint16: [0, 0xffff],
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
  uint64: [0, Number.MAX_SAFE_INTEGER],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true, discriminator: true });
  for (const [name, [min, max]] of Object.entries(INT_RANGES)) {
    ajv.addFormat(name, { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= min && n <= max });
  }
  ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addFormat('uri', (s: string) => /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s));
  return ajv;
}

class SchemaIndex {
  readonly ajv = createAjv();
  /** `${side} ${method}` → def names. */
  private readonly byMethod = new Map<string, MethodSchemas>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    const { schema, defs } = loadSchema();
    this.ajv.addSchema({ ...schema, $id: SCHEMA_ID });
    for (const [name, def] of Object.entries(defs)) {
      const method = def['x-method'];
      const side = def['x-side'];
      if (typeof method !== 'string' || typeof side !== 'string') continue;
      const key = `${side} ${method}`;
      const entry = this.byMethod.get(key) ?? {};
      if (name.endsWith('Request')) entry.request = name;
      else if (name.endsWith('Response')) entry.response = name;
      else if (name.endsWith('Notification')) entry.notification = name;
      this.byMethod.set(key, entry);
    }
  }

  lookup(side: Side, method: string): MethodSchemas | undefined {
    return this.byMethod.get(`${side} ${method}`);
  }

  validator(defName: string): ValidateFunction {
    let fn = this.compiled.get(defName);
    if (!fn) {
      fn = this.ajv.getSchema(`${SCHEMA_ID}#/$defs/${defName}`);
      if (!fn) throw new Error(`schema has no $defs/${defName}`);
      this.compiled.set(defName, fn);
    }
    return fn;
  }
}

let index: SchemaIndex | undefined;
function schemaIndex(): SchemaIndex {
  index ??= new SchemaIndex();
  return index;
}

/** The side that handles requests and notifications travelling in `direction`. */
function receiver(direction: Direction): Side {
  return direction === 'client->agent' ? 'agent' : 'client';
}

function opposite(direction: Direction): Direction {
  return direction === 'client->agent' ? 'agent->client' : 'client->agent';
}

export function pendingKey(direction: Direction, id: unknown): string {
  return `${direction} ${JSON.stringify(id)}`;
}

/**
 * Ajv's errors as short lines: `const` alternatives at one path become "must be one of",
 * and the generic "must match a schema in anyOf/oneOf" lines are dropped when a more
 * specific error explains them.
 */
function describeErrors(errors: ErrorObject[] | null | undefined, where: string): string[] {
  if (!errors || errors.length === 0) return [];
  const allowed = new Map<string, unknown[]>();
  for (const e of errors) {
    if (e.keyword === 'const') allowed.set(e.instancePath, [...(allowed.get(e.instancePath) ?? []), e.params.allowedValue]);
  }
  const lines = new Set<string>();
  for (const e of errors) {
    const path = `${where}${e.instancePath}`;
    if (e.keyword === 'const') {
      const values = [...new Set(allowed.get(e.instancePath))].map((v) => JSON.stringify(v));
      lines.add(`${path}: must be ${values.length > 1 ? `one of ${values.join(', ')}` : `equal to ${values[0]}`}`);
    } else if (['anyOf', 'oneOf'].includes(e.keyword)) {
      const explained = errors.some((o) => o !== e && o.instancePath.startsWith(e.instancePath) && !['anyOf', 'oneOf'].includes(o.keyword));
      if (!explained) lines.add(`${path}: ${e.message ?? e.keyword}`);
    } else if (e.keyword === 'type' && e.params.type === 'null') {
      continue; // the "or null" branch of an optional field; the other branch says what is wrong
    } else {
      const extra = e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
      lines.add(`${path}: ${e.message ?? e.keyword}${extra}`);
    }
  }
  return [...lines].slice(0, 8);
}

function checkAgainst(defName: string, value: unknown, where: string): string[] {
  const fn = schemaIndex().validator(defName);
  return fn(value) ? [] : describeErrors(fn.errors, `${where} (${defName})`);
}

function isId(id: unknown): boolean {
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) || id === null;
}

function label(msg: Record<string, unknown>): string {
  if (typeof msg.method === 'string') return 'id' in msg ? `request ${msg.method}#${JSON.stringify(msg.id)}` : `notification ${msg.method}`;
  return `response #${JSON.stringify(msg.id)}`;
}

function validateCall(msg: Record<string, unknown>, direction: Direction, pending?: PendingMethods): string[] {
  const method = msg.method as string;
  const isRequest = 'id' in msg;
  const where = `${direction} ${label(msg)}`;
  const problems: string[] = [];
  if (isRequest && !isId(msg.id)) problems.push(`${where}: id must be a string, number or null`);
  if ('params' in msg && (msg.params === null || typeof msg.params !== 'object')) {
    problems.push(`${where}: params must be an object or an array`);
  }
  if (isRequest && pending) pending.set(pendingKey(direction, msg.id), method);
  if (method.startsWith('_')) return problems; // extension methods: no schema, any params
  const schemas = schemaIndex().lookup(receiver(direction), method) ?? (isRequest ? undefined : schemaIndex().lookup('protocol', method));
  const defName = isRequest ? schemas?.request : schemas?.notification;
  if (!defName) {
    const other = schemaIndex().lookup(receiver(opposite(direction)), method);
    const hint = other && (isRequest ? other.request : other.notification) ? ` (it goes the other way, ${opposite(direction)})` : '';
    problems.push(`${where}: no ACP v1 ${isRequest ? 'request' : 'notification'} "${method}" in direction ${direction}${hint}`);
    return problems;
  }
  return [...problems, ...checkAgainst(defName, msg.params ?? {}, `${where} params`)];
}

function validateResponse(msg: Record<string, unknown>, direction: Direction, pending?: PendingMethods): string[] {
  const where = `${direction} ${label(msg)}`;
  const hasResult = 'result' in msg;
  const hasError = 'error' in msg;
  if (!isId(msg.id)) return [`${where}: id must be a string, number or null`];
  if (hasResult === hasError) return [`${where}: a response needs exactly one of "result" and "error"`];
  let method: string | undefined;
  if (pending && msg.id !== null) {
    const key = pendingKey(opposite(direction), msg.id);
    method = pending.get(key);
    pending.delete(key);
    if (method === undefined) return [`${where}: answers no request sent ${opposite(direction)} that is still pending`];
  }
  if (hasError) return checkAgainst('Error', msg.error, `${where} error`);
  if (method === undefined || method.startsWith('_')) return [];
  // The response is produced by the side that handled the request.
  const defName = schemaIndex().lookup(receiver(opposite(direction)), method)?.response;
  if (!defName) return [`${where}: no ACP v1 response schema for "${method}"`];
  return checkAgainst(defName, msg.result, `${where} result`);
}

/**
 * Validates one JSON-RPC message of an ACP v1 connection travelling in `direction`.
 * Requests are recorded in `pendingMethods` so their responses (travelling the other way)
 * can be checked against the right schema; without the map, results are not checked.
 * Returns readable problems; an empty list means the message is valid.
 */
export function validateAcpMessage(msg: unknown, direction: Direction, pendingMethods?: PendingMethods): string[] {
  if (Array.isArray(msg)) return [`${direction}: JSON-RPC batches are not used by ACP`];
  if (msg === null || typeof msg !== 'object') return [`${direction}: a message must be a JSON object, got ${msg === null ? 'null' : typeof msg}`];
  const m = msg as Record<string, unknown>;
  const problems: string[] = [];
  if (m.jsonrpc !== '2.0') problems.push(`${direction} ${label(m)}: "jsonrpc" must be "2.0"`);
  if ('method' in m) {
    if (typeof m.method !== 'string') return [...problems, `${direction}: "method" must be a string`];
    return [...problems, ...validateCall(m, direction, pendingMethods)];
  }
  if ('id' in m) return [...problems, ...validateResponse(m, direction, pendingMethods)];
  return [...problems, `${direction}: neither a request, a notification nor a response`];
}

/** A stateful validator for one connection: it tracks request ids itself. */
export function createAcpValidator(): { validate(msg: unknown, direction: Direction): string[]; pending: PendingMethods } {
  const pending: PendingMethods = new Map();
  return { pending, validate: (msg, direction) => validateAcpMessage(msg, direction, pending) };
}
