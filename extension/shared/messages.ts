// The messages between the extension host and the panel's webview: the one contract both
// sides build on. The host forwards ACP session updates as they are; the webview folds them
// into the transcript itself (see webview/transcript.ts), so host and webview never drift.
import type { RequestPermissionRequest, SessionConfigOption, SessionInfo, SessionUpdate } from '@agentclientprotocol/sdk';

export type ConnectionState = 'starting' | 'connecting' | 'connected' | 'reconnecting' | 'failed';

export interface SessionView {
  sessionId: string;
  title?: string;
  cwd: string;
  /** A turn runs (started here or by another client watching the same session). */
  running: boolean;
  /** The session's config options (mode, model, sandbox) as the server last sent them. */
  configOptions: SessionConfigOption[];
  currentModeId?: string;
}

/** A question the agent asks (plan mode's ask_user tool), read from `_meta.tether.questions`. */
export interface AgentQuestion {
  question: string;
  /** Suggested answers; the user may still type their own. */
  options?: string[];
}

export interface PendingPermission {
  requestId: string;
  request: RequestPermissionRequest;
}

export type HunkState = 'pending' | 'accepted' | 'rejected';

export interface ReviewHunk {
  /** Stable while the hunk exists: `${oldStart}:${oldLines}:${newStart}:${newLines}` of baseline vs current. */
  id: string;
  header: string;
  /** The hunk's lines with their ' ', '+', '-' prefixes. */
  lines: string[];
}

export interface ReviewFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the workspace, for display. */
  label: string;
  /** The file did not exist before the agent wrote it. */
  created: boolean;
  hunks: ReviewHunk[];
  added: number;
  removed: number;
}

export interface ReviewState {
  files: ReviewFile[];
  /** Rejections not yet reported to the agent; they go with the next prompt. */
  unreportedRejections: number;
}

export interface UsageView {
  usedTokens?: number;
  contextWindow?: number;
  /** Bytes sent to the model so far, and what a stateless resend would have sent. */
  sentBytes?: number;
  statelessBytes?: number;
}

// ---------- host -> webview ----------
export type HostMessage =
  /** Everything the webview needs after it (re)loads: it replaces all its state. */
  | {
      type: 'reset';
      connection: ConnectionState;
      connectionDetail?: string;
      session?: SessionView;
      /** The session's updates so far, in order (from replay and live). */
      updates: SessionUpdate[];
      queued: string[];
      permissions: PendingPermission[];
      review: ReviewState;
      sessions: SessionInfo[];
    }
  | { type: 'connection'; state: ConnectionState; detail?: string }
  | { type: 'session'; session?: SessionView }
  /** One live ACP update of the current session. `sentAt` is Date.now() in the host, for the latency bench. */
  | { type: 'update'; update: SessionUpdate; sentAt: number }
  | { type: 'queue'; queued: string[] }
  | { type: 'permission'; permission: PendingPermission }
  | { type: 'permissionResolved'; requestId: string }
  | { type: 'review'; review: ReviewState }
  | { type: 'sessions'; sessions: SessionInfo[] }
  | { type: 'error'; message: string }
  /** The host asks the webview to focus the message box (command "Focus Tether panel"). */
  | { type: 'focusInput' };

// ---------- webview -> host ----------
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'prompt'; text: string }
  | { type: 'cancel' }
  | { type: 'setConfigOption'; configId: string; value: string }
  | {
      type: 'permissionResponse';
      requestId: string;
      /** Omitted: the user dismissed the question (answered as cancelled). */
      optionId?: string;
      /** "Keep planning" feedback; sent as `_meta.tether.feedback`. */
      feedback?: string;
      /** Answers to ask_user questions, in question order; sent as `_meta.tether.answers`. */
      answers?: string[];
    }
  | { type: 'openLocation'; path: string; line?: number }
  | { type: 'copy'; text: string }
  | { type: 'newSession' }
  | { type: 'resumeSession'; sessionId: string }
  | { type: 'deleteSession'; sessionId: string }
  | { type: 'refreshSessions' }
  | { type: 'openDiff'; path: string }
  | { type: 'reviewFile'; path: string; verdict: 'accept' | 'reject' }
  | { type: 'reviewHunk'; path: string; hunkId: string; verdict: 'accept' | 'reject' }
  | { type: 'reviewAll'; verdict: 'accept' | 'reject' }
  /** Latency bench: the webview reports when it rendered the update the host sent at `sentAt`. */
  | { type: 'rendered'; sentAt: number; renderedAt: number };

/** Permission requests that carry agent questions put them here. */
export function questionsOf(request: RequestPermissionRequest): AgentQuestion[] | undefined {
  const meta = request._meta as { tether?: { questions?: unknown } } | undefined;
  const questions = meta?.tether?.questions;
  if (!Array.isArray(questions)) return undefined;
  return questions.filter((q): q is AgentQuestion => typeof q === 'object' && q !== null && typeof (q as AgentQuestion).question === 'string');
}
