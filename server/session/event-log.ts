// The append-only session log: one JSON record per line. Each append is a single write(2) on
// an O_APPEND descriptor, so once append returns the record is in the page cache and survives
// the process being killed; a crash mid-write leaves at worst a torn last line, which readers
// skip and the next writer cuts off before appending.
import { closeSync, constants, createReadStream, fdatasync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { LOG_VERSION, type LogRecord } from './records';

const NEWLINE = 0x0a;

type Check = (r: Record<string, unknown>) => boolean;

const isString = (value: unknown): value is string => typeof value === 'string';
const isOptionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Shape checks per record type: enough that replay can trust the fields it reads. */
const RECORD_CHECKS: Record<LogRecord['t'], Check> = {
  session: (r) =>
    r.v === LOG_VERSION && isString(r.sessionId) && isString(r.cwd) && isString(r.createdAt) &&
    Array.isArray(r.additionalDirectories) && r.additionalDirectories.every(isString),
  update: (r) => Number.isSafeInteger(r.seq) && isString(r.at) && isObject(r.update) && isString(r.update.sessionUpdate),
  history: (r) => isObject(r.item) && isHistoryItem(r.item),
  turn_start: (r) => isString(r.turnId) && isString(r.at),
  turn_end: (r) => isString(r.turnId) && isString(r.at) && isString(r.stopReason),
  settings: (r) => isString(r.at) && isOptionalString(r.mode) && isOptionalString(r.model) && isOptionalString(r.title) && isOptionalString(r.sandbox),
  rule: (r) => isString(r.at) && isString(r.scope) && (r.decision === 'allow' || r.decision === 'reject'),
  rule_revoked: (r) => isString(r.at) && isString(r.scope),
};

function isHistoryItem(item: Record<string, unknown>): boolean {
  if (item.type === 'user') return Array.isArray(item.parts);
  if (item.type === 'assistant') return isString(item.text) && Array.isArray(item.toolCalls);
  if (item.type === 'tool_result') return isString(item.callId) && isString(item.name) && isString(item.output);
  return false;
}

/** Why a parsed value is not a record this version understands, or undefined when it is one. */
export function recordProblem(value: unknown): string | undefined {
  if (!isObject(value) || !isString(value.t)) return 'not a log record';
  if (!Object.hasOwn(RECORD_CHECKS, value.t)) return `unknown record type "${value.t}"`;
  if (value.t === 'session' && value.v !== LOG_VERSION) return `unsupported log version ${String(value.v)}`;
  return RECORD_CHECKS[value.t as LogRecord['t']](value) ? undefined : `malformed "${value.t}" record`;
}

/** Parses one line; returns the record or the reason it is unusable. */
export function parseRecordLine(text: string): { record: LogRecord } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'not valid JSON' };
  }
  const problem = recordProblem(value);
  return problem ? { problem } : { record: value as LogRecord };
}

/** One line of JSON with `t` (and `at`, when present) first, so a scan can read a line's kind cheaply. */
export function serializeRecord(record: LogRecord): string {
  const problem = recordProblem(record);
  if (problem) throw new TypeError(`refusing to log an invalid record: ${problem}`);
  // Object.assign keeps each key where it was first set, so `t` and `at` lead.
  return JSON.stringify(Object.assign({ t: record.t }, 'at' in record ? { at: record.at } : {}, record));
}

function readFully(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const read = readSync(fd, buffer, done, length - done, position + done);
    if (read === 0) break;
    done += read;
  }
  return buffer.subarray(0, done);
}

/** Offset just past the last newline before `end`, or 0: where the file's last line starts. */
function lastLineStart(fd: number, end: number): number {
  const chunkSize = 64 * 1024;
  let pos = end;
  while (pos > 0) {
    const length = Math.min(chunkSize, pos);
    pos -= length;
    const index = readFully(fd, length, pos).lastIndexOf(NEWLINE);
    if (index !== -1) return pos + index + 1;
  }
  return 0;
}

export interface OpenLogOptions {
  /** Create the file, failing if it exists. Otherwise it must exist. */
  create: boolean;
  /** Permission bits for a created file. */
  mode?: number;
}

export class SessionLogWriter {
  /** What was fixed in the file's tail on open (empty when it was clean); worth a warning. */
  readonly repairs: string[] = [];
  private fd: number;
  /** Bytes known to be whole records; a failed append truncates back to this. */
  private size: number;
  private broken?: string;
  private syncing = false;
  private syncAgain = false;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
    this.size = fstatSync(fd).size;
  }

  static open(path: string, options: OpenLogOptions): SessionLogWriter {
    const flags = constants.O_RDWR | constants.O_APPEND | (options.create ? constants.O_CREAT | constants.O_EXCL : 0);
    let fd: number;
    try {
      fd = openSync(path, flags, options.mode ?? 0o600);
    } catch (error) {
      throw new Error(`cannot open session log ${path}: ${(error as Error).message}`, { cause: error });
    }
    const writer = new SessionLogWriter(path, fd);
    try {
      writer.repairTail();
    } catch (error) {
      closeSync(fd);
      throw new Error(`cannot repair session log ${path}: ${(error as Error).message}`, { cause: error });
    }
    return writer;
  }

  get closed(): boolean {
    return this.fd < 0;
  }

  /** Writes one record as one line. Throws, leaving the file as it was, if it cannot. */
  append(record: LogRecord): void {
    if (this.fd < 0) throw new Error(`session log ${this.path} is closed`);
    if (this.broken) throw new Error(`session log ${this.path} is unusable: ${this.broken}`);
    const bytes = Buffer.from(`${serializeRecord(record)}\n`, 'utf8');
    let written: number;
    try {
      written = writeSync(this.fd, bytes);
    } catch (error) {
      this.rollback();
      throw new Error(`cannot append to session log ${this.path}: ${(error as Error).message}`, { cause: error });
    }
    if (written !== bytes.length) {
      this.rollback();
      throw new Error(`short write to session log ${this.path} (${written} of ${bytes.length} bytes), probably a full disk`);
    }
    this.size += written;
  }

  /** Makes everything appended so far durable against power loss, not just a process crash. */
  flush(): void {
    if (this.fd >= 0) fdatasyncSync(this.fd);
  }

  /**
   * Starts an fdatasync on the thread pool without blocking the caller: used at tool boundaries,
   * where a synchronous sync would add milliseconds to every tool call. Appends already survive a
   * process crash (they are in the OS page cache); this narrows the window for power loss.
   */
  flushInBackground(): void {
    if (this.fd < 0) return;
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    this.syncing = true;
    const fd = this.fd;
    fdatasync(fd, () => {
      this.syncing = false;
      if (this.fd < 0) closeSync(fd);
      else if (this.syncAgain) {
        this.syncAgain = false;
        this.flushInBackground();
      }
    });
  }

  close(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    // A background sync still owns the descriptor; it closes it when done.
    if (!this.syncing) closeSync(fd);
  }

  /** Cuts a partial write off so the next line never joins it; marks the log unusable if that fails. */
  private rollback(): void {
    try {
      if (fstatSync(this.fd).size > this.size) ftruncateSync(this.fd, this.size);
    } catch (error) {
      this.broken = `a failed append could not be undone (${(error as Error).message})`;
    }
  }

  /** A torn tail (no final newline) is cut off, unless it is a whole record missing only its newline. */
  private repairTail(): void {
    if (this.size === 0 || readFully(this.fd, 1, this.size - 1)[0] === NEWLINE) return;
    const start = lastLineStart(this.fd, this.size);
    const tail = readFully(this.fd, this.size - start, start);
    if ('record' in parseRecordLine(tail.toString('utf8'))) {
      if (writeSync(this.fd, '\n') !== 1) throw new Error('could not complete the last line');
      this.size += 1;
      this.repairs.push(`added the missing newline after the last record of ${this.path}`);
      return;
    }
    ftruncateSync(this.fd, start);
    this.size = start;
    this.repairs.push(`removed a torn last line (${tail.length} bytes) from ${this.path}`);
  }
}

export interface LogLine {
  text: string;
  /** Byte offset just past this line (and its newline, if terminated). */
  end: number;
  /** False only for a last line with no newline: possibly torn. */
  terminated: boolean;
}

/** The file's lines from byte `start`, streamed so a large log is never one huge string. */
export async function* readLogLines(path: string, start = 0): AsyncGenerator<LogLine> {
  const stream = createReadStream(path, { start, highWaterMark: 256 * 1024 });
  let carry: Buffer[] = [];
  let offset = start;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let from = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, from)) {
      carry.push(chunk.subarray(from, nl));
      const line = Buffer.concat(carry);
      offset += line.length + 1;
      carry = [];
      from = nl + 1;
      yield { text: line.toString('utf8'), end: offset, terminated: true };
    }
    if (from < chunk.length) carry.push(chunk.subarray(from));
  }
  if (carry.length > 0) {
    const line = Buffer.concat(carry);
    yield { text: line.toString('utf8'), end: offset + line.length, terminated: false };
  }
}

export interface SessionLog {
  records: LogRecord[];
  /** Lines that were skipped and why; content problems never throw. */
  problems: string[];
}

/** Reads every usable record. Throws only when the file cannot be read at all. */
export async function readSessionLog(path: string): Promise<SessionLog> {
  const records: LogRecord[] = [];
  const problems: string[] = [];
  let lineNo = 0;
  try {
    for await (const line of readLogLines(path)) {
      lineNo += 1;
      if (line.text.trim() === '') continue;
      const parsed = parseRecordLine(line.text);
      if ('record' in parsed) records.push(parsed.record);
      else if (!line.terminated) problems.push(`line ${lineNo}: skipped a torn last line (${Buffer.byteLength(line.text)} bytes); the writer probably stopped mid-write`);
      else problems.push(`line ${lineNo}: skipped, ${parsed.problem}: ${preview(line.text)}`);
    }
  } catch (error) {
    throw new Error(`cannot read session log ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (records[0]?.t !== 'session') problems.push('the log does not start with a session header');
  return { records, problems };
}

function preview(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
