// What the agent is told about the changes the user rejected: one text block the host puts in
// front of the next prompt, so a rejection is never silently lost (otherwise the agent, still
// believing its edit is on disk, would build on it or quietly write it again).
import { isAbsolute } from 'node:path';

export type Rejection =
  /** One hunk put back; `patch` is its unified-diff text (header and prefixed lines). */
  | { kind: 'hunk'; label: string; patch: string }
  /** A file the agent created, deleted by the user's "reject file". */
  | { kind: 'deletedFile'; label: string };

const PREAMBLE = 'Review: the user rejected these changes you made; they have been reverted on disk. Do not reapply them unless asked:';

/** The report for these rejections, or undefined when there are none. */
export function rejectionReport(rejections: readonly Rejection[]): string | undefined {
  if (rejections.length === 0) return undefined;
  const parts = [PREAMBLE];
  const patch = patchOf(rejections);
  if (patch) parts.push(fenced(patch));
  for (const rejection of rejections) {
    if (rejection.kind === 'deletedFile') parts.push(`- deleted new file ${rejection.label}`);
  }
  return parts.join('\n');
}

/** One unified diff: each file's header once, its rejected hunks in the order they were rejected. */
function patchOf(rejections: readonly Rejection[]): string {
  const hunksByFile = new Map<string, string[]>();
  for (const rejection of rejections) {
    if (rejection.kind !== 'hunk') continue;
    const hunks = hunksByFile.get(rejection.label) ?? [];
    hunks.push(rejection.patch);
    hunksByFile.set(rejection.label, hunks);
  }
  const files = [...hunksByFile].map(([label, hunks]) => [`--- ${side('a', label)}`, `+++ ${side('b', label)}`, ...hunks].join('\n'));
  return files.join('\n');
}

/** Git's a/ and b/ before a workspace-relative label; a file outside the workspace keeps its absolute path. */
function side(prefix: 'a' | 'b', label: string): string {
  return isAbsolute(label) ? label : `${prefix}/${label}`;
}

/** A code fence longer than any backtick run inside, so a patch to a Markdown file cannot close it early. */
function fenced(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}diff\n${text}\n${fence}`;
}

/** A stored rejection read back (workspace state may hold an older or damaged shape), or undefined. */
export function parseRejection(value: unknown): Rejection | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, label, patch } = value as { kind?: unknown; label?: unknown; patch?: unknown };
  if (typeof label !== 'string') return undefined;
  if (typeof patch === 'string' && (kind === 'hunk' || kind === undefined)) return { kind: 'hunk', label, patch };
  // The first stored shape had no kind and no patch for a deleted file.
  if (kind === 'deletedFile' || (kind === undefined && patch === undefined)) return { kind: 'deletedFile', label };
  return undefined;
}
