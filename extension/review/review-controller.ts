// The diff review, VS Code side: a baseline per file the agent wrote (its text before the
// agent's first unreviewed write), the hunks from that baseline to the file's current text,
// accept/reject per hunk, file or all, VS Code's diff editor on demand, and the rejections
// kept (and persisted) until they are reported to the agent with the next prompt.
import { isAbsolute, relative } from 'node:path';
import * as vscode from 'vscode';
import { readEditorText, replaceEditorText } from '../editor/documents';
import type { ReviewFile, ReviewState } from '../shared/messages';
import { acceptHunk, countChanges, diffHunks, findHunk, hunkPatchText, rejectHunk, StaleHunkError, toReviewHunk } from './hunks';
import { rejectionReport, type Rejection } from './report';
import { ReviewStore, type Baseline } from './review-store';

type Verdict = 'accept' | 'reject';

const BASELINE_SCHEME = 'tether-baseline';
/** Typing fires a change per keystroke; one refresh per pause is enough. */
const EDIT_REFRESH_DELAY_MS = 100;
/**
 * beforeWrite comes before the write lands, so for a moment the file still equals its new
 * baseline; a refresh then must not drop it as "nothing left to review". After this long the
 * write has landed (or changed nothing) and a file without hunks may go.
 */
const WRITE_LANDING_MS = 2_000;

export class ReviewController implements vscode.Disposable {
  private readonly store: ReviewStore;
  private files: ReviewFile[] = [];
  private readonly baselineChanged = new vscode.EventEmitter<vscode.Uri>();
  private readonly writesLanding = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];
  private editRefreshTimer: NodeJS.Timeout | undefined;
  /** Refreshes and verdicts run one at a time, so none acts on texts another is changing. */
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    context: vscode.ExtensionContext,
    private readonly workspaceRoot: string | undefined,
    private readonly onChange: (state: ReviewState) => void,
  ) {
    this.store = new ReviewStore(context.workspaceState);
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(BASELINE_SCHEME, {
        onDidChange: this.baselineChanged.event,
        provideTextDocumentContent: (uri) => this.baselineContent(uri),
      }),
      // The user may edit (or delete) a file under review: keep the hunks true.
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0) this.refreshSoonIfReviewed(event.document.uri);
      }),
      vscode.workspace.onDidDeleteFiles((event) => event.files.forEach((uri) => this.refreshSoonIfReviewed(uri))),
      this.baselineChanged,
    );
    // A review restored after a reload: the files may have changed meanwhile.
    if (this.store.paths().length > 0) this.refreshInBackground();
  }

  state(): ReviewState {
    return { files: [...this.files], unreportedRejections: this.store.unreportedRejections() };
  }

  /** Called before each agent write with the file's text then (undefined: it did not exist). */
  beforeWrite(path: string, before: string | undefined): void {
    const key = fileKey(path);
    this.markWriteLanding(key);
    if (this.store.setBaselineIfAbsent(key, before)) this.baselineChanged.fire(baselineUri(key));
  }

  /** Recomputes every file's hunks from its current text and tells onChange. */
  refresh(): Promise<ReviewState> {
    return this.serialized(() => this.recompute());
  }

  async openDiff(path: string): Promise<void> {
    const key = fileKey(path);
    if (!this.store.baseline(key)) throw new Error(`${this.label(key)} has no changes under review.`);
    const left = baselineUri(key);
    this.baselineChanged.fire(left); // a diff editor already open shows the latest baseline
    await vscode.commands.executeCommand('vscode.diff', left, vscode.Uri.file(key), `${this.label(key)} (changes under review)`, { preview: true });
  }

  reviewHunk(path: string, hunkId: string, verdict: Verdict): Promise<void> {
    return this.judgeThenRecompute(() => this.judgeHunk(fileKey(path), hunkId, verdict));
  }

  reviewFile(path: string, verdict: Verdict): Promise<void> {
    return this.judgeThenRecompute(() => this.judgeFile(fileKey(path), verdict));
  }

  /** Every file the panel shows; one file failing does not stop the others. */
  reviewAll(verdict: Verdict): Promise<void> {
    return this.judgeThenRecompute(async () => {
      const failures: string[] = [];
      for (const { path } of this.files) {
        try {
          await this.judgeFile(path, verdict);
        } catch (error) {
          failures.push(`${this.label(path)}: ${(error as Error).message}`);
        }
      }
      if (failures.length > 0) throw new Error(`Could not ${verdict} every file. ${failures.join(' ')}`);
    });
  }

  /** The text to put before the next prompt, once; undefined when nothing was rejected. */
  takeRejectionReport(): string | undefined {
    const report = rejectionReport(this.store.takeRejections());
    if (report) this.notify(this.state());
    return report;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.editRefreshTimer);
    for (const timer of this.writesLanding.values()) clearTimeout(timer);
    this.writesLanding.clear();
    for (const disposable of this.disposables) disposable.dispose();
  }

  // ---------- verdicts ----------

  private async judgeHunk(path: string, hunkId: string, verdict: Verdict): Promise<void> {
    const baseline = this.requireBaseline(path);
    const current = await currentText(path);
    const hunk = this.findShownHunk(path, baseline.text, current, hunkId);
    if (verdict === 'accept') return this.setBaseline(path, acceptHunk(baseline.text, current, hunk.id));
    await replaceEditorText(vscode.Uri.file(path), rejectHunk(baseline.text, current, hunk.id));
    // Recorded only once the revert is on disk: the report says it has been reverted.
    this.store.addRejections([this.hunkRejection(path, hunkPatchText(hunk))]);
  }

  private async judgeFile(path: string, verdict: Verdict): Promise<void> {
    const baseline = this.requireBaseline(path);
    if (verdict === 'reject' && isUntouchedCreation(baseline)) return this.deleteCreatedFile(path);
    const current = await currentText(path);
    // All hunks at once: accepting every hunk gives the current text, rejecting every one the baseline.
    if (verdict === 'accept') return this.setBaseline(path, current);
    const hunks = diffHunks(baseline.text, current);
    if (hunks.length === 0) return;
    await replaceEditorText(vscode.Uri.file(path), baseline.text);
    this.store.addRejections(hunks.map((hunk) => this.hunkRejection(path, hunkPatchText(hunk))));
  }

  private async deleteCreatedFile(path: string): Promise<void> {
    const uri = vscode.Uri.file(path);
    if ((await readEditorText(uri)) === undefined) return this.dropBaseline(path); // already gone
    const edit = new vscode.WorkspaceEdit();
    edit.deleteFile(uri, { ignoreIfNotExists: true });
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused to delete ${this.label(path)}.`);
    this.dropBaseline(path);
    this.store.addRejections([{ kind: 'deletedFile', label: this.label(path) }]);
  }

  private findShownHunk(path: string, baseline: string, current: string, hunkId: string) {
    try {
      return findHunk(baseline, current, hunkId);
    } catch (error) {
      if (!(error instanceof StaleHunkError)) throw error;
      throw new Error(`That change to ${this.label(path)} is no longer there: the file changed since the review showed it. Nothing was changed; the review now shows the file as it is.`, { cause: error });
    }
  }

  private requireBaseline(path: string): Baseline {
    const baseline = this.store.baseline(path);
    if (!baseline) throw new Error(`${this.label(path)} has no changes under review any more.`);
    return baseline;
  }

  private hunkRejection(path: string, patch: string): Rejection {
    return { kind: 'hunk', label: this.label(path), patch };
  }

  // ---------- recomputing ----------

  /** A verdict, then a recompute whatever happened, so the panel never shows a stale review. */
  private judgeThenRecompute(judge: () => Promise<void>): Promise<void> {
    return this.serialized(async () => {
      try {
        await judge();
      } finally {
        await this.recompute();
      }
    });
  }

  private async recompute(): Promise<ReviewState> {
    const files: ReviewFile[] = [];
    for (const path of this.store.paths()) {
      const file = await this.reviewedFile(path);
      if (file) files.push(file);
    }
    this.files = files;
    const state = this.state();
    this.notify(state);
    return state;
  }

  private async reviewedFile(path: string): Promise<ReviewFile | undefined> {
    const baseline = this.store.baseline(path);
    if (!baseline) return undefined;
    let current: string;
    try {
      current = await currentText(path);
    } catch {
      return this.files.find((file) => file.path === path); // unreadable for now: keep what was shown
    }
    const hunks = diffHunks(baseline.text, current).map(toReviewHunk);
    if (hunks.length === 0) {
      if (!this.writesLanding.has(path)) this.dropBaseline(path); // nothing left to review
      return undefined;
    }
    return { path, label: this.label(path), created: baseline.created, hunks, ...countChanges(hunks) };
  }

  private serialized<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private refreshSoonIfReviewed(uri: vscode.Uri): void {
    if (uri.scheme === 'file' && this.store.baseline(uri.fsPath)) this.refreshSoon();
  }

  private refreshSoon(): void {
    clearTimeout(this.editRefreshTimer);
    this.editRefreshTimer = setTimeout(() => this.refreshInBackground(), EDIT_REFRESH_DELAY_MS);
  }

  private refreshInBackground(): void {
    if (!this.disposed) this.refresh().catch(() => {}); // the next refresh retries; nothing to report
  }

  private markWriteLanding(path: string): void {
    clearTimeout(this.writesLanding.get(path));
    const timer = setTimeout(() => {
      this.writesLanding.delete(path);
      this.refreshSoon();
    }, WRITE_LANDING_MS);
    this.writesLanding.set(path, timer);
  }

  // ---------- baselines ----------

  private setBaseline(path: string, text: string): void {
    this.store.setBaselineText(path, text);
    this.baselineChanged.fire(baselineUri(path));
  }

  private dropBaseline(path: string): void {
    this.store.drop(path);
    this.baselineChanged.fire(baselineUri(path));
  }

  private async baselineContent(uri: vscode.Uri): Promise<string> {
    const path = uri.with({ scheme: 'file' }).fsPath;
    // Out of review (all accepted or rejected): the diff shows no changes rather than a deleted file.
    return this.store.baseline(path)?.text ?? (await currentText(path));
  }

  private notify(state: ReviewState): void {
    if (!this.disposed) this.onChange(state);
  }

  private label(path: string): string {
    if (!this.workspaceRoot) return path;
    const inWorkspace = relative(this.workspaceRoot, path);
    return inWorkspace === '' || inWorkspace.startsWith('..') || isAbsolute(inWorkspace) ? path : inWorkspace;
  }
}

/** One spelling per file (VS Code's fsPath), whether the path came from ACP, the panel or an event. */
function fileKey(path: string): string {
  return vscode.Uri.file(path).fsPath;
}

function baselineUri(path: string): vscode.Uri {
  return vscode.Uri.file(path).with({ scheme: BASELINE_SCHEME });
}

/** The agent created the file and none of it has been accepted: rejecting it means deleting it. */
function isUntouchedCreation(baseline: Baseline): boolean {
  return baseline.created && baseline.text === '';
}

/** What the user sees now; a missing file reads as empty (its lines show as removed). */
async function currentText(path: string): Promise<string> {
  return (await readEditorText(vscode.Uri.file(path))) ?? '';
}
