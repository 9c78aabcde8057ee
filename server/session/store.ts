// Where session logs live: `<home>/sessions/<sessionId>.jsonl`, private to the user. Listing
// keeps a small cache (index.json) of what it learned from each log and the byte offset it read
// to, so a later listing reads only what was appended since. The logs stay the only truth:
// the cache is checked against each file and rebuilt from it whenever they disagree.
import { closeSync, fsyncSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseRecordLine, readLogLines, readSessionLog, SessionLogWriter, type SessionLog } from './event-log';
import type { SessionHeader } from './records';

const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/;
const LOG_SUFFIX = '.jsonl';
const INDEX_FILE = 'index.json';
const INDEX_VERSION = 1;

export class InvalidSessionIdError extends Error {
  constructor(readonly sessionId: string) {
    super(`invalid session id ${JSON.stringify(sessionId.slice(0, 140))}: expected 1-128 letters, digits, "_" or "-"`);
    this.name = 'InvalidSessionIdError';
  }
}

export function isValidSessionId(sessionId: unknown): sessionId is string {
  return typeof sessionId === 'string' && SESSION_ID.test(sessionId);
}

export interface SessionSummary {
  sessionId: string;
  cwd: string;
  additionalDirectories: string[];
  title?: string;
  /** ISO time of the last timed record, or the file's mtime if it has none. */
  updatedAt: string;
  createdAt: string;
}

/** What listing learned from one log, valid for its first `scanned` bytes of file `ino`. */
interface IndexEntry {
  ino: number;
  scanned: number;
  cwd: string;
  additionalDirectories: string[];
  createdAt: string;
  title?: string;
  lastAt?: string;
}

export interface SessionStoreOptions {
  /** Told about logs that cannot be listed; defaults to console.warn. */
  warn?: (message: string) => void;
}

export class SessionStore {
  readonly dir: string;
  private readonly warn: (message: string) => void;
  /** The index as last scanned; the file is read only on the first listing of the process. */
  private index?: Record<string, IndexEntry>;
  private scanning?: Promise<SessionSummary[]>;

  constructor(home: string, options: SessionStoreOptions = {}) {
    this.dir = join(home, 'sessions');
    this.warn = options.warn ?? ((message) => console.warn(message));
  }

  /** The log's path; throws InvalidSessionIdError for any id that could leave the directory. */
  pathFor(sessionId: string): string {
    if (!isValidSessionId(sessionId)) throw new InvalidSessionIdError(String(sessionId));
    return join(this.dir, `${sessionId}${LOG_SUFFIX}`);
  }

  /** Creates the log with its header written and synced; fails if the session already exists. */
  create(header: SessionHeader): SessionLogWriter {
    const path = this.pathFor(header.sessionId);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const writer = SessionLogWriter.open(path, { create: true, mode: 0o600 });
    try {
      writer.append(header);
      writer.flush();
    } catch (error) {
      writer.close();
      unlinkSync(path);
      throw error;
    }
    syncDirectory(this.dir);
    return writer;
  }

  /** Opens an existing log for appending; `writer.repairs` says if a torn tail was cut. */
  openForAppend(sessionId: string): SessionLogWriter {
    return SessionLogWriter.open(this.pathFor(sessionId), { create: false });
  }

  read(sessionId: string): Promise<SessionLog> {
    return readSessionLog(this.pathFor(sessionId));
  }

  exists(sessionId: string): boolean {
    try {
      return statSync(this.pathFor(sessionId)).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  /** Removes the log; false if there was none. */
  async delete(sessionId: string): Promise<boolean> {
    try {
      await unlink(this.pathFor(sessionId));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  /** Stored sessions, newest first, optionally only those for one working directory. */
  async list(filter: { cwd?: string } = {}): Promise<SessionSummary[]> {
    // Concurrent listings (many clients at once) share one scan instead of each rereading every log.
    this.scanning ??= this.scanAll().finally(() => (this.scanning = undefined));
    const all = await this.scanning;
    return all.filter((summary) => filter.cwd === undefined || resolve(summary.cwd) === resolve(filter.cwd));
  }

  private async scanAll(): Promise<SessionSummary[]> {
    const ids = await this.storedIds();
    const cached = this.index ?? (await this.loadIndex());
    const next: Record<string, IndexEntry> = {};
    const summaries: SessionSummary[] = [];
    let changed = false;
    for (const sessionId of ids) {
      const summary = await this.summarize(sessionId, cached[sessionId]).catch((error: NodeJS.ErrnoException) => {
        // A log deleted since readdir is simply gone; anything else deserves a word.
        if (error.code !== 'ENOENT') this.warn(`session ${sessionId} is not listed: ${error.message}`);
        return undefined;
      });
      if (!summary) continue;
      next[sessionId] = summary.entry;
      changed ||= summary.entry !== cached[sessionId];
      summaries.push(toSummary(sessionId, summary.entry, summary.mtime));
    }
    this.index = next;
    if (changed || Object.keys(cached).length !== Object.keys(next).length) await this.saveIndex(next);
    return summaries.sort(newestFirst);
  }

  private async storedIds(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names.filter((name) => name.endsWith(LOG_SUFFIX)).map((name) => name.slice(0, -LOG_SUFFIX.length)).filter(isValidSessionId);
  }

  /** Brings one cache entry up to date, reading only bytes appended since it was made. */
  private async summarize(sessionId: string, cached: IndexEntry | undefined): Promise<{ entry: IndexEntry; mtime: Date }> {
    const path = this.pathFor(sessionId);
    const info = await stat(path);
    const reusable = cached && cached.ino === info.ino && cached.scanned <= info.size;
    if (reusable && cached.scanned === info.size) return { entry: cached, mtime: info.mtime };
    const entry = await scanLog(path, reusable ? cached : undefined, info.ino);
    return { entry, mtime: info.mtime };
  }

  private async loadIndex(): Promise<Record<string, IndexEntry>> {
    try {
      const parsed = JSON.parse(await readFile(join(this.dir, INDEX_FILE), 'utf8')) as { v?: unknown; entries?: unknown };
      if (parsed.v !== INDEX_VERSION || typeof parsed.entries !== 'object' || parsed.entries === null) return {};
      const entries: Record<string, IndexEntry> = {};
      for (const [id, entry] of Object.entries(parsed.entries)) if (isIndexEntry(entry)) entries[id] = entry;
      return entries;
    } catch {
      // A missing or damaged cache only costs a full scan.
      return {};
    }
  }

  /** Write-to-temp then rename, so a reader never sees half an index. Failure only loses the cache. */
  private async saveIndex(entries: Record<string, IndexEntry>): Promise<void> {
    const target = join(this.dir, INDEX_FILE);
    const temp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await writeFile(temp, JSON.stringify({ v: INDEX_VERSION, entries }), { mode: 0o600 });
      await rename(temp, target);
    } catch (error) {
      this.warn(`could not save the session index: ${(error as Error).message}`);
      await unlink(temp).catch(() => undefined);
    }
  }
}

/** Matches how the writer serializes: `{"t":"<type>"` then `,"at":"<time>"` when the record has one. */
const LINE_HEAD = /^\{"t":"([a-z_]+)"(?:,"at":"([^"\\]*)")?/;

/** Scans a log from where `base` stopped (or from the header), parsing only settings lines. */
async function scanLog(path: string, base: IndexEntry | undefined, ino: number): Promise<IndexEntry> {
  let entry = base ? { ...base, ino } : undefined;
  for await (const line of readLogLines(path, base?.scanned ?? 0)) {
    // An unterminated last line may still be being written: leave it for the next scan.
    if (!line.terminated) break;
    if (!entry) {
      entry = headerEntry(line.text, ino);
    } else {
      const head = lineHead(line.text);
      if (head?.at) entry.lastAt = head.at;
      if (head?.t === 'settings') {
        const parsed = parseRecordLine(line.text);
        if ('record' in parsed && parsed.record.t === 'settings' && parsed.record.title !== undefined) entry.title = parsed.record.title;
      }
    }
    entry.scanned = line.end;
  }
  if (!entry) throw new Error('the log has no complete session header');
  return entry;
}

function headerEntry(text: string, ino: number): IndexEntry {
  const parsed = parseRecordLine(text);
  if (!('record' in parsed)) throw new Error(`its first line is unusable: ${parsed.problem}`);
  const header = parsed.record;
  if (header.t !== 'session') throw new Error('its first line is not a session header');
  return { ino, scanned: 0, cwd: header.cwd, additionalDirectories: header.additionalDirectories, createdAt: header.createdAt };
}

/** A line's type and time, read from its first bytes when possible; parsed only as a fallback. */
function lineHead(text: string): { t: string; at?: string } | undefined {
  const match = LINE_HEAD.exec(text);
  if (match?.[1]) return { t: match[1], at: match[2] };
  const parsed = parseRecordLine(text);
  if (!('record' in parsed)) return undefined;
  return { t: parsed.record.t, at: 'at' in parsed.record ? parsed.record.at : undefined };
}

function isIndexEntry(value: unknown): value is IndexEntry {
  const entry = value as IndexEntry;
  return (
    typeof value === 'object' && value !== null &&
    typeof entry.ino === 'number' && Number.isSafeInteger(entry.scanned) && entry.scanned > 0 &&
    typeof entry.cwd === 'string' && typeof entry.createdAt === 'string' &&
    Array.isArray(entry.additionalDirectories) && entry.additionalDirectories.every((dir) => typeof dir === 'string') &&
    (entry.title === undefined || typeof entry.title === 'string') && (entry.lastAt === undefined || typeof entry.lastAt === 'string')
  );
}

function toSummary(sessionId: string, entry: IndexEntry, mtime: Date): SessionSummary {
  const summary: SessionSummary = {
    sessionId,
    cwd: entry.cwd,
    additionalDirectories: [...entry.additionalDirectories],
    updatedAt: entry.lastAt ?? mtime.toISOString(),
    createdAt: entry.createdAt,
  };
  if (entry.title !== undefined) summary.title = entry.title;
  return summary;
}

function newestFirst(a: SessionSummary, b: SessionSummary): number {
  const byTime = (Date.parse(b.updatedAt) || 0) - (Date.parse(a.updatedAt) || 0);
  return byTime !== 0 ? byTime : a.sessionId.localeCompare(b.sessionId);
}

/** Makes a new file's directory entry durable too; some platforms cannot fsync a directory. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Best effort: the file's own data is already synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
