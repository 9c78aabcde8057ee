// The webview's line to the extension host: typed postMessage, and the state VS Code keeps
// for a hidden panel (vscode.setState). Saving is debounced: the snapshot of the transcript
// is cheap but not free, and a stream of deltas must not pay for it each time.
import type { HostMessage, WebviewMessage } from '../shared/messages';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** A `reset` as the panel last drew it, minus the prompts (stale ones must not flash up). */
export type Snapshot = Omit<Extract<HostMessage, { type: 'reset' }>, 'type' | 'permissions'>;

export interface SavedState {
  draft?: string;
  scrollTop?: number;
  pinned?: boolean;
  showSessions?: boolean;
  planOpen?: boolean;
  snapshot?: Snapshot;
}

const QUIET_MS = 300;
const MAX_WAIT_MS = 1500;

export class Host {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private firstPending = 0;
  private collect: (() => SavedState) | undefined;

  post(message: WebviewMessage): void {
    this.api.postMessage(message);
  }

  saved(): SavedState {
    const state = this.api.getState();
    return state && typeof state === 'object' ? (state as SavedState) : {};
  }

  /** `collect` builds the whole state to save; it is called when the save happens. */
  onSave(collect: () => SavedState): void {
    this.collect = collect;
    // A panel being hidden is torn down: save what is pending first.
    window.addEventListener('pagehide', () => this.flush());
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && this.flush());
  }

  /** Asks for a save soon: after a quiet moment, or at the latest MAX_WAIT_MS from the first ask. */
  scheduleSave(): void {
    const now = Date.now();
    if (this.timer === undefined) this.firstPending = now;
    else clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(QUIET_MS, this.firstPending + MAX_WAIT_MS - now));
    this.timer = setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.collect) this.api.setState(this.collect());
  }
}
