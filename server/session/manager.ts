// Owns the live sessions and their storage: create, load (rebuilding from the log and closing
// what a crash left open), list, close. The protocol edge calls it; it knows no transport.
import { randomUUID } from 'node:crypto';
import type { SessionUpdate } from '@agentclientprotocol/sdk';
import type { TetherConfig } from '../config';
import { TetherError } from '../errors';
import { log } from '../log';
import { DEFAULT_MODE, isModeId } from '../permissions/modes';
import { createProvider } from '../providers';
import type { ModelProvider } from '../providers/types';
import { diskFileAccess } from '../tools/disk-files';
import { createLocalShellRunner } from '../tools/local-shell';
import { interruptionRecords, rebuildSession } from './replay';
import type { LogRecord } from './records';
import { Session } from './session';
import { SessionStore, type SessionSummary } from './store';

export interface LoadedSession {
  session: Session;
  /** Everything clients were shown, in order, for replay. */
  updates: SessionUpdate[];
}

export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  private readonly store: SessionStore;
  private readonly local = { files: diskFileAccess, shell: createLocalShellRunner() };
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

  /** A live session, or the stored one brought back to life. */
  async load(sessionId: string): Promise<LoadedSession> {
    const live = this.sessions.get(sessionId);
    const { records, problems } = await this.readLog(sessionId);
    for (const problem of problems) log.warn(`session ${sessionId}: ${problem}`);
    const rebuilt = rebuildSession(records);
    if (live) return { session: live, updates: rebuilt.updates.map((entry) => entry.update) };
    const repairs = interruptionRecords(rebuilt, new Date());
    const writer = this.store.openForAppend(sessionId);
    for (const repair of writer.repairs) log.warn(`session ${sessionId}: ${repair}`);
    for (const record of repairs) writer.append(record);
    writer.flush();
    const afterRepair = repairs.length > 0 ? rebuildSession([...records, ...repairs]) : rebuilt;
    const { header } = afterRepair;
    const mode = afterRepair.mode && isModeId(afterRepair.mode) ? afterRepair.mode : DEFAULT_MODE;
    const session = new Session(
      {
        sessionId,
        cwd: header.cwd,
        additionalDirectories: header.additionalDirectories,
        createdAt: header.createdAt,
        mode,
        model: afterRepair.model ?? this.config.model ?? this.models()[0] ?? 'default',
        title: afterRepair.title,
        history: afterRepair.history,
        rules: afterRepair.rules,
        lastSeq: afterRepair.lastSeq,
      },
      this.deps(writer),
    );
    this.sessions.set(sessionId, session);
    return { session, updates: afterRepair.updates.map((entry) => entry.update) };
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

  /** Detaches a client; the last one out cancels the session's work and closes its log. */
  close(sessionId: string, portId: string): void {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    session.detach(portId);
    if (session.attachedPorts > 0) return;
    session.cancel();
    this.sessions.delete(sessionId);
    void session.whenIdle().then(() => session.closeLog());
  }

  /** Cancels every turn and closes every log; used when the process is going away. */
  async shutdown(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    for (const session of sessions) session.cancel();
    await Promise.all(sessions.map(async (session) => {
      await session.whenIdle();
      session.closeLog();
    }));
  }

  private async readLog(sessionId: string): Promise<{ records: LogRecord[]; problems: string[] }> {
    if (!this.store.exists(sessionId)) throw new TetherError('not_found', `No session ${sessionId} in ${this.config.home}.`);
    return this.store.read(sessionId);
  }

  private deps(writer: ReturnType<SessionStore['create']>) {
    return { config: this.config, provider: () => this.getProvider(), models: this.models(), writer, local: this.local };
  }
}
