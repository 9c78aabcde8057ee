// The diff review: a baseline per file the agent wrote (its text before the first unreviewed
// write), hunks from baseline to the current text, accept/reject per hunk, file or all,
// VS Code's diff editor on demand, and the rejections kept until they are reported.
import { relative } from 'node:path';
import * as vscode from 'vscode';
import { readEditorText, replaceEditorText } from '../editor/documents';
import type { ReviewFile, ReviewState } from '../shared/messages';
import { acceptHunk, countChanges, hunkText, rejectHunk, reviewHunks } from './hunks';
import { rejectionReport, type Rejection } from './report';

const SCHEME = 'tether-baseline';
const STATE_KEY = 'tether.review';

interface Baseline {
  text: string;
  created: boolean;
}

interface Stored {
  baselines: Record<string, Baseline>;
  rejections: Rejection[];
}

export class ReviewController implements vscode.Disposable {
  private readonly baselines = new Map<string, Baseline>();
  private rejections: Rejection[] = [];
  private files: ReviewFile[] = [];
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly workspaceRoot: string | undefined,
    private readonly onChange: (state: ReviewState) => void,
  ) {
    const stored = context.workspaceState.get<Stored>(STATE_KEY);
    for (const [path, baseline] of Object.entries(stored?.baselines ?? {})) this.baselines.set(path, baseline);
    this.rejections = stored?.rejections ?? [];
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
        onDidChange: this.changed.event,
        provideTextDocumentContent: (uri) => this.baselines.get(uri.path)?.text ?? '',
      }),
      // The user may edit a file under review: keep the hunks true (debounced).
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (!this.baselines.has(event.document.uri.fsPath)) return;
        clearTimeout(this.refreshTimer);
        this.refreshTimer = setTimeout(() => void this.refresh(), 100);
      }),
      this.changed,
    );
    if (this.baselines.size > 0) void this.refresh();
  }

  state(): ReviewState {
    return { files: this.files, unreportedRejections: this.rejections.length };
  }

  /** Before each agent write: keep the text the user last saw reviewed, once. */
  beforeWrite(path: string, before: string | undefined): void {
    if (this.baselines.has(path)) return;
    this.baselines.set(path, { text: before ?? '', created: before === undefined });
    this.persist();
  }

  async refresh(): Promise<ReviewState> {
    const files: ReviewFile[] = [];
    for (const [path, baseline] of [...this.baselines]) {
      const current = (await readEditorText(vscode.Uri.file(path))) ?? '';
      const hunks = reviewHunks(baseline.text, current);
      if (hunks.length === 0) {
        this.baselines.delete(path); // nothing left to review in this file
        continue;
      }
      files.push({ path, label: this.label(path), created: baseline.created, hunks, ...countChanges(hunks) });
    }
    this.files = files;
    this.persist();
    const state = this.state();
    this.onChange(state);
    return state;
  }

  async openDiff(path: string): Promise<void> {
    const baselineUri = vscode.Uri.from({ scheme: SCHEME, path });
    this.changed.fire(baselineUri);
    await vscode.commands.executeCommand('vscode.diff', baselineUri, vscode.Uri.file(path), `${this.label(path)} (agent's changes)`);
  }

  async reviewHunk(path: string, hunkId: string, verdict: 'accept' | 'reject'): Promise<void> {
    try {
      await this.applyVerdict(path, hunkId, verdict);
    } finally {
      await this.refresh();
    }
  }

  async reviewFile(path: string, verdict: 'accept' | 'reject'): Promise<void> {
    const baseline = this.baselines.get(path);
    if (!baseline) return;
    if (verdict === 'reject' && baseline.created) {
      await this.deleteCreated(path);
    } else {
      // One hunk at a time: ids shift as each is taken in or put back.
      for (let guard = 0; guard < 10_000; guard++) {
        const current = (await readEditorText(vscode.Uri.file(path))) ?? '';
        const [hunk] = reviewHunks(this.baselines.get(path)?.text ?? current, current);
        if (!hunk) break;
        await this.applyVerdict(path, hunk.id, verdict);
      }
    }
    await this.refresh();
  }

  async reviewAll(verdict: 'accept' | 'reject'): Promise<void> {
    for (const path of [...this.baselines.keys()]) await this.reviewFile(path, verdict);
  }

  /** The report for the next prompt, once; undefined when nothing was rejected. */
  takeRejectionReport(): string | undefined {
    const report = rejectionReport(this.rejections);
    this.rejections = [];
    this.persist();
    if (report) this.onChange(this.state());
    return report;
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  private async applyVerdict(path: string, hunkId: string, verdict: 'accept' | 'reject'): Promise<void> {
    const baseline = this.baselines.get(path);
    if (!baseline) throw new Error(`${this.label(path)} is not under review`);
    const uri = vscode.Uri.file(path);
    const current = (await readEditorText(uri)) ?? '';
    if (verdict === 'accept') {
      baseline.text = acceptHunk(baseline.text, current, hunkId);
      this.changed.fire(vscode.Uri.from({ scheme: SCHEME, path }));
    } else {
      const hunk = reviewHunks(baseline.text, current).find((candidate) => candidate.id === hunkId);
      await replaceEditorText(uri, rejectHunk(baseline.text, current, hunkId));
      if (hunk) this.rejections.push({ label: this.label(path), patch: hunkText(hunk) });
    }
    this.persist();
  }

  private async deleteCreated(path: string): Promise<void> {
    const edit = new vscode.WorkspaceEdit();
    edit.deleteFile(vscode.Uri.file(path), { ignoreIfNotExists: true });
    await vscode.workspace.applyEdit(edit);
    this.baselines.delete(path);
    this.rejections.push({ label: this.label(path) });
  }

  private label(path: string): string {
    return this.workspaceRoot ? relative(this.workspaceRoot, path) || path : path;
  }

  private persist(): void {
    const stored: Stored = { baselines: Object.fromEntries(this.baselines), rejections: this.rejections };
    void this.context.workspaceState.update(STATE_KEY, stored);
  }
}
