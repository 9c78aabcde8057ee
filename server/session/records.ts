// The on-disk shape of a session: one JSON record per line in an append-only log.
// `update` records hold exactly what clients were sent, so a load replays the same transcript.
import type { SessionUpdate } from '@agentclientprotocol/sdk';
import type { HistoryItem } from '../loop/items';

export const LOG_VERSION = 1;

export interface SessionHeader {
  t: 'session';
  v: typeof LOG_VERSION;
  sessionId: string;
  cwd: string;
  additionalDirectories: string[];
  createdAt: string;
}

export type LogRecord =
  | SessionHeader
  /** A session/update sent to clients; seq grows by one per update within the session. */
  | { t: 'update'; seq: number; at: string; update: SessionUpdate }
  /** An item of the model's context (user input, assistant output, tool results). */
  | { t: 'history'; item: HistoryItem }
  | { t: 'turn_start'; turnId: string; at: string }
  | { t: 'turn_end'; turnId: string; at: string; stopReason: string }
  /** Settings that change over a session's life; the last value wins on load. */
  | { t: 'settings'; at: string; mode?: string; model?: string; title?: string; sandbox?: string }
  /** An "always" permission decision, kept for the session. */
  | { t: 'rule'; at: string; scope: string; decision: 'allow' | 'reject' }
  /** A session rule the user took back. */
  | { t: 'rule_revoked'; at: string; scope: string };
