// Owns the live sessions and their storage: create, load (rebuilding from the log and closing
// what a crash left open), list, close. The protocol edge calls it; it knows no transport.
import { randomUUID } from 'node:crypto';
import type { TetherConfig } from '../config';
import { TetherError } from '../errors';
import { log } from '../log';
import { DEFAULT_MODE, isModeId } from '../permissions/modes';
import { createProvider } from '../providers';
import type { ModelProvider } from '../providers/types';
import { diskFileAccess } from '../tools/disk-files';
import { createLocalShellRunner } from '../tools/local-shell';
import { createSandboxPort } from './command-sandbox';
import { isSandboxChoice } from './config-options';
import { interruptionRecords, rebuildSession, type RebuiltSession } from './replay';
import type { LogRecord } from './records';
import { Session } from './session';
import { SessionStore, type SessionSummary } from './store';
import { isTurnMarker } from './turn-updates';
import type { JournalEntry } from './update-journal';

export interface LoadedSession {
  session: Session;
  /** Everything clients were shown, in order (text chunks coalesced), for replay. */
  transcript(): JournalEntry[];
}

export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  private readonly loading = new Map<string, Promise<{ session: Session; rebuilt: RebuiltSession }>>();
  private readonly store: SessionStore;
  private readonly local = {
    files: diskFileAccess,
    shell: createLocalShellRunner(),
    // Commands never see Tether's data or another live session's workspace.
    sandbox: createSandboxPort(() => [this.config.home, ...[...this.sessions.values()].flatMap((s) => [s.cwd, ...s.additionalDirectories])]),
  };
  private provider?: ModelProvider;

  constructor(private readonly config: TetherConfig) {
    this.store = new SessionStore(config.home);
  }

  /** The provider, created on first use; throws ProviderError('not_configured') saying what to set. */
  getProvider(): ModelProvider {
    this.provider ??= createProvider(this.config);
    return this.provider;
  }

  models(): string[] {
    try {
      return [...this.getProvider().models];
    } catch {
      return [this.config.model ?? 'gpt-4.1-mini'];
    }
  }

  create(cwd: string, additionalDirectories: string[] = []): Session {
    const sessionId = randomUUID();
    const createdAt = new Date().toISOString();
    const writer = this.store.create({ t: 'session', v: 1, sessionId, cwd, additionalDirectories, createdAt });
    const model = this.config.model ?? this.models()[0] ?? 'default';
    const session = new Session(
      { sessionId, cwd, additionalDirectories, createdAt, mode: DEFAULT_MODE, model, history: [], rules: [], lastSeq: 0 },
      this.deps(writer),
    );
    session.log({ t: 'settings', at: createdAt, mode: DEFAULT_MODE, model });
    this.sessions.set(sessionId, session);
    return session;
  }

  /**
   * A session for `session/load`: live or brought back from its log, with its transcript.
   * Call `transcript()` right before attaching the client: it adds whatever the session
   * published since the log was read, so the replay has no gap.
   */
  async load(sessionId: string): Promise<LoadedSession> {
    const { session, rebuilt } = await this.open(sessionId);
    const base = rebuilt ?? rebuildSession((await this.readLog(sessionId)).records);
    // Like the rebuilt part, the live tail leaves turn markers out; the load answer says `running`.
    const tail = () => (session.updatesAfter(base.lastSeq) ?? []).filter((entry) => !isTurnMarker(entry.update));
    return { session, transcript: () => [...base.updates, ...tail()] };
  }

  /** A live session, loading it from its log once even if several clients ask at the same time. */
  async open(sessionId: string): Promise<{ session: Session; rebuilt?: RebuiltSession }> {
    const live = this.sessions.get(sessionId);
    if (live) return { session: live };
    let loading = this.loading.get(sessionId);
    if (!loading) {
      loading = this.revive(sessionId).finally(() => this.loading.delete(sessionId));
      this.loading.set(sessionId, loading);
    }
    return loading;
  }

  private async revive(sessionId: string): Promise<{ session: Session; rebuilt: RebuiltSession }> {
    const { records, problems } = await this.readLog(sessionId);
    for (const problem of problems) log.warn(`session ${sessionId}: ${problem}`);
    const first = rebuildSession(records);
    const repairs = interruptionRecords(first, new Date());
    const writer = this.store.openForAppend(sessionId);
    for (const repair of writer.repairs) log.warn(`session ${sessionId}: ${repair}`);
    for (const record of repairs) writer.append(record);
    writer.flush();
    const all = repairs.length > 0 ? [...records, ...repairs] : records;
    const rebuilt = repairs.length > 0 ? rebuildSession(all) : first;
    const mode = rebuilt.mode && isModeId(rebuilt.mode) ? rebuilt.mode : DEFAULT_MODE;
    const session = new Session(
      {
        sessionId,
        cwd: rebuilt.header.cwd,
        additionalDirectories: rebuilt.header.additionalDirectories,
        createdAt: rebuilt.header.createdAt,
        mode,
        model: rebuilt.model ?? this.config.model ?? this.models()[0] ?? 'default',
        title: rebuilt.title,
        sandbox: rebuilt.sandbox && isSandboxChoice(rebuilt.sandbox) ? rebuilt.sandbox : undefined,
        history: rebuilt.history,
        rules: rebuilt.rules,
        lastSeq: rebuilt.lastSeq,
      },
      this.deps(writer),
    );
    // The journal holds updates as they were sent (not coalesced), for exact reattach.
    session.remember(all.flatMap((record) => (record.t === 'update' ? [{ seq: record.seq, update: record.update }] : [])));
    this.sessions.set(sessionId, session);
    return { session, rebuilt };
  }

  get(sessionId: string): Session {
    const session = this.sessions.get(sessionId);
    if (!session) throw new TetherError('not_found', `Session ${sessionId} is not open on this connection; load or resume it first.`);
    return session;
  }

  async list(cwd?: string): Promise<SessionSummary[]> {
    const stored = await this.store.list(cwd ? { cwd } : undefined);
    return stored.map((summary) => {
      const live = this.sessions.get(summary.sessionId);
      return live ? { ...summary, title: live.title ?? summary.title, updatedAt: live.lastUpdatedAt } : summary;
    });
  }

  /** A client went away (connection dropped): the session and its running turn go on. */
  detach(sessionId: string, portId: string): void {
    this.sessions.get(sessionId)?.detach(portId);
  }

  /** A client closed the session: the last one out cancels its work and closes its log. */
  close(sessionId: string, portId: string): void {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    session.detach(portId);
    if (session.attachedPorts > 0) return;
    session.cancel();
    this.sessions.delete(sessionId);
    this.provider?.release?.(sessionId);
    void session.whenIdle().then(() => session.closeLog());
  }

  /**
   * Deletes a stored session (it leaves session/list). A running turn is refused rather than
   * killed: deleting what someone is watching work in is never what they meant. An open idle
   * session is closed first, so its attached clients get nothing more.
   */
  async delete(sessionId: string): Promise<void> {
    // A load in flight would reopen the log being removed; let it settle first.
    await this.loading.get(sessionId)?.catch(() => undefined);
    const live = this.sessions.get(sessionId);
    if (live?.isBusy) throw new TetherError('invalid_state', `Session ${sessionId} has a turn running; cancel it before deleting the session.`);
    if (live) {
      this.sessions.delete(sessionId);
      this.provider?.release?.(sessionId);
      live.closeLog();
    } else {
      this.assertStored(sessionId);
    }
    await this.store.delete(sessionId);
  }

  /** Cancels every turn and closes every log; used when the process is going away. */
  async shutdown(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    for (const session of sessions) session.interrupt();
    await Promise.all(
      sessions.map(async (session) => {
        await session.whenIdle();
        session.closeLog();
        this.provider?.release?.(session.id);
      }),
    );
  }

  private async readLog(sessionId: string): Promise<{ records: LogRecord[]; problems: string[] }> {
    this.assertStored(sessionId);
    return this.store.read(sessionId);
  }

  /** The not-found error load and delete share; a malformed id throws InvalidSessionIdError. */
  private assertStored(sessionId: string): void {
    if (!this.store.exists(sessionId)) throw new TetherError('not_found', `No session ${sessionId} in ${this.config.home}.`);
  }

  private deps(writer: ReturnType<SessionStore['create']>) {
    return { config: this.config, provider: () => this.getProvider(), models: this.models(), writer, local: this.local };
  }
}
