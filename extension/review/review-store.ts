// The review's durable state: a baseline per file under review and the rejections not yet
// reported to the agent, written through to the workspace state on every change so a window
// reload keeps the review (and never drops a rejection the agent has not been told about).
// No vscode import: it takes anything shaped like a Memento, so it is unit-tested in node.
import { parseRejection, type Rejection } from './report';

export interface Baseline {
  /** The text the user has accepted so far (before the agent's first unreviewed write). */
  text: string;
  /** The file did not exist before the agent wrote it. */
  created: boolean;
}

/** The part of vscode.Memento the store uses. */
export interface StateMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

interface Stored {
  baselines: Record<string, Baseline>;
  rejections: Rejection[];
}

const STATE_KEY = 'tether.review';

export class ReviewStore {
  private readonly baselines = new Map<string, Baseline>();
  private rejections: Rejection[] = [];

  constructor(private readonly memento: StateMemento) {
    const stored = memento.get<Partial<Stored>>(STATE_KEY);
    for (const [path, baseline] of Object.entries(stored?.baselines ?? {})) {
      if (isBaseline(baseline)) this.baselines.set(path, { text: baseline.text, created: baseline.created });
    }
    const rejections = Array.isArray(stored?.rejections) ? stored.rejections : [];
    this.rejections = rejections.map(parseRejection).filter((rejection) => rejection !== undefined);
  }

  paths(): string[] {
    return [...this.baselines.keys()];
  }

  baseline(path: string): Baseline | undefined {
    return this.baselines.get(path);
  }

  /** Keeps the first baseline: later writes of the same file are reviewed against it. */
  setBaselineIfAbsent(path: string, before: string | undefined): boolean {
    if (this.baselines.has(path)) return false;
    this.baselines.set(path, { text: before ?? '', created: before === undefined });
    this.persist();
    return true;
  }

  setBaselineText(path: string, text: string): void {
    const baseline = this.baselines.get(path);
    if (!baseline || baseline.text === text) return;
    this.baselines.set(path, { ...baseline, text });
    this.persist();
  }

  drop(path: string): void {
    if (this.baselines.delete(path)) this.persist();
  }

  unreportedRejections(): number {
    return this.rejections.length;
  }

  addRejections(rejections: readonly Rejection[]): void {
    if (rejections.length === 0) return;
    this.rejections.push(...rejections);
    this.persist();
  }

  /** The unreported rejections, now counted as reported. */
  takeRejections(): Rejection[] {
    const taken = this.rejections;
    if (taken.length === 0) return [];
    this.rejections = [];
    this.persist();
    return taken;
  }

  private persist(): void {
    const stored: Stored = { baselines: Object.fromEntries(this.baselines), rejections: this.rejections };
    // Best effort: the in-memory state stays authoritative for this window if the write fails.
    Promise.resolve(this.memento.update(STATE_KEY, stored)).catch(() => {});
  }
}

function isBaseline(value: unknown): value is Baseline {
  if (typeof value !== 'object' || value === null) return false;
  const { text, created } = value as Partial<Baseline>;
  return typeof text === 'string' && typeof created === 'boolean';
}
