// The review's hunks: always the diff from the baseline (what the user last accepted) to the
// file's current text. Accepting a hunk moves the baseline toward the current text; rejecting
// it moves the current text back toward the baseline. Both splice exact line ranges, no fuzz.
import { structuredPatch, type StructuredPatchHunk } from 'diff';
import type { ReviewHunk } from '../shared/messages';

export interface Hunk extends ReviewHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
}

const CONTEXT_LINES = 3;

export function reviewHunks(baseline: string, current: string): Hunk[] {
  if (baseline === current) return [];
  const patch = structuredPatch('a', 'b', baseline, current, '', '', { context: CONTEXT_LINES });
  return patch.hunks.map(toHunk);
}

function toHunk(hunk: StructuredPatchHunk): Hunk {
  const { oldStart, oldLines, newStart, newLines } = hunk;
  return {
    id: `${oldStart}:${oldLines}:${newStart}:${newLines}`,
    header: `@@ -${oldStart},${oldLines} +${newStart},${newLines} @@`,
    lines: hunk.lines.filter((line) => !line.startsWith('\\')),
    oldStart,
    oldLines,
    newStart,
    newLines,
  };
}

export function countChanges(hunks: readonly Hunk[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const hunk of hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith('+')) added++;
      else if (line.startsWith('-')) removed++;
    }
  }
  return { added, removed };
}

/** Lines with their endings, so joining gives the text back byte for byte. */
function splitKeepingEnds(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

/** Index of a hunk side's first line; a side with no lines names the line before it. */
function startIndex(start: number, count: number): number {
  return count === 0 ? start : start - 1;
}

function findHunk(baseline: string, current: string, id: string): Hunk {
  const hunk = reviewHunks(baseline, current).find((candidate) => candidate.id === id);
  if (!hunk) throw new Error('That change is no longer in the file (it was edited since); the review has been refreshed.');
  return hunk;
}

/** The baseline with one hunk of the current text taken in. */
export function acceptHunk(baseline: string, current: string, id: string): string {
  const hunk = findHunk(baseline, current, id);
  const oldLines = splitKeepingEnds(baseline);
  const newLines = splitKeepingEnds(current);
  const from = startIndex(hunk.oldStart, hunk.oldLines);
  const taken = newLines.slice(startIndex(hunk.newStart, hunk.newLines), startIndex(hunk.newStart, hunk.newLines) + hunk.newLines);
  return [...oldLines.slice(0, from), ...taken, ...oldLines.slice(from + hunk.oldLines)].join('');
}

/** The current text with one hunk put back as the baseline had it. */
export function rejectHunk(baseline: string, current: string, id: string): string {
  const hunk = findHunk(baseline, current, id);
  const oldLines = splitKeepingEnds(baseline);
  const newLines = splitKeepingEnds(current);
  const from = startIndex(hunk.newStart, hunk.newLines);
  const restored = oldLines.slice(startIndex(hunk.oldStart, hunk.oldLines), startIndex(hunk.oldStart, hunk.oldLines) + hunk.oldLines);
  return [...newLines.slice(0, from), ...restored, ...newLines.slice(from + hunk.newLines)].join('');
}

/** A hunk as unified-diff text, for the report to the agent. */
export function hunkText(hunk: ReviewHunk): string {
  return [hunk.header, ...hunk.lines].join('\n');
}
