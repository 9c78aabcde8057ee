// The review's hunks, pure text in and out: always the diff from a file's baseline (what the
// user has accepted so far) to its current text. Accepting a hunk moves the baseline toward
// the current text; rejecting one moves the current text back toward the baseline. Both
// splice the exact line ranges the diff reported, so there is no fuzz and nothing to misplace.
import { structuredPatch } from 'diff';
import type { ReviewHunk } from '../shared/messages';

/** One hunk of diff(baseline, current). Starts are 1-based line numbers, as jsdiff reports them. */
export interface DiffHunk {
  id: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** The unified-diff header, with the format's convention that an empty side starts one line earlier. */
  header: string;
  /** jsdiff's lines: ' ', '+', '-' prefixed, with "\ No newline at end of file" markers. */
  patchLines: string[];
}

/** Thrown when a hunk id no longer names a hunk (the file changed since the id was shown). */
export class StaleHunkError extends Error {
  constructor(readonly hunkId: string) {
    super(`The change ${hunkId} is no longer in the file (it changed since it was shown).`);
    this.name = 'StaleHunkError';
  }
}

const CONTEXT_LINES = 3;
const NO_NEWLINE_MARKER = '\\';
/**
 * Past this many changed lines the exact diff costs seconds (a 5,000-line rewrite takes ~4 s)
 * and would freeze the extension host on every refresh; such a file gets one coarse hunk.
 */
const MAX_DIFF_EDIT_LINES = 1_000;

export function diffHunks(baseline: string, current: string, maxEditLines = MAX_DIFF_EDIT_LINES): DiffHunk[] {
  if (baseline === current) return [];
  // maxEditLength, not a timeout: the same texts must always give the same hunks (and ids).
  const patch = structuredPatch('baseline', 'current', baseline, current, '', '', { context: CONTEXT_LINES, maxEditLength: maxEditLines });
  if (!patch) return [coarseHunk(baseline, current)];
  return patch.hunks.map(({ oldStart, oldLines, newStart, newLines, lines }) => makeHunk(oldStart, oldLines, newStart, newLines, lines));
}

function makeHunk(oldStart: number, oldLines: number, newStart: number, newLines: number, patchLines: string[]): DiffHunk {
  return {
    id: `${oldStart}:${oldLines}:${newStart}:${newLines}`,
    oldStart,
    oldLines,
    newStart,
    newLines,
    header: `@@ -${headerStart(oldStart, oldLines)},${oldLines} +${headerStart(newStart, newLines)},${newLines} @@`,
    patchLines,
  };
}

/** One hunk from the first differing line to the last (with context), for texts too different to diff. */
function coarseHunk(baseline: string, current: string): DiffHunk {
  const oldLines = splitKeepingEnds(baseline);
  const newLines = splitKeepingEnds(current);
  let prefix = 0;
  while (prefix < oldLines.length && prefix < newLines.length && oldLines[prefix] === newLines[prefix]) prefix++;
  let suffix = 0;
  const maxSuffix = Math.min(oldLines.length, newLines.length) - prefix;
  while (suffix < maxSuffix && oldLines[oldLines.length - 1 - suffix] === newLines[newLines.length - 1 - suffix]) suffix++;
  const before = Math.min(prefix, CONTEXT_LINES);
  const after = Math.min(suffix, CONTEXT_LINES);
  const from = prefix - before;
  const oldEnd = oldLines.length - suffix + after;
  const newEnd = newLines.length - suffix + after;
  const lines = [
    ...oldLines.slice(from, prefix).map((line) => ' ' + line),
    ...oldLines.slice(prefix, oldLines.length - suffix).map((line) => '-' + line),
    ...newLines.slice(prefix, newLines.length - suffix).map((line) => '+' + line),
    ...oldLines.slice(oldLines.length - suffix, oldEnd).map((line) => ' ' + line),
  ];
  return makeHunk(from + 1, oldEnd - from, from + 1, newEnd - from, lines.flatMap(asPatchLine));
}

/** jsdiff's form: the ending dropped, or a marker after the one line that has none. */
function asPatchLine(line: string): string[] {
  return line.endsWith('\n') ? [line.slice(0, -1)] : [line, `${NO_NEWLINE_MARKER} No newline at end of file`];
}

/** Unified diff names the line before an empty range ("-0,0" for an empty file). */
function headerStart(start: number, count: number): number {
  return count === 0 ? start - 1 : start;
}

/** The hunks as the panel shows them. */
export function reviewHunks(baseline: string, current: string): ReviewHunk[] {
  return diffHunks(baseline, current).map(toReviewHunk);
}

export function toReviewHunk(hunk: DiffHunk): ReviewHunk {
  return { id: hunk.id, header: hunk.header, lines: displayLines(hunk) };
}

/**
 * Prefixed lines without the "no newline" markers and without the CR of CRLF endings (the
 * panel shows text, not line endings; the splice below keeps the endings byte for byte).
 */
function displayLines(hunk: DiffHunk): string[] {
  return hunk.patchLines.filter((line) => !line.startsWith(NO_NEWLINE_MARKER)).map(withoutCarriageReturn);
}

function withoutCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

export function countChanges(hunks: readonly ReviewHunk[]): { added: number; removed: number } {
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

export function findHunk(baseline: string, current: string, id: string): DiffHunk {
  const hunk = diffHunks(baseline, current).find((candidate) => candidate.id === id);
  if (!hunk) throw new StaleHunkError(id);
  return hunk;
}

/** The new baseline: the baseline with this one hunk of the current text taken in. */
export function acceptHunk(baseline: string, current: string, id: string): string {
  const hunk = findHunk(baseline, current, id);
  return spliceLines(baseline, hunk.oldStart, hunk.oldLines, sliceLines(current, hunk.newStart, hunk.newLines));
}

/** The new current text: the current text with this one hunk put back as the baseline has it. */
export function rejectHunk(baseline: string, current: string, id: string): string {
  const hunk = findHunk(baseline, current, id);
  return spliceLines(current, hunk.newStart, hunk.newLines, sliceLines(baseline, hunk.oldStart, hunk.oldLines));
}

/** A hunk as unified-diff text (header and lines, markers kept, CRs dropped) for the agent. */
export function hunkPatchText(hunk: DiffHunk): string {
  return [hunk.header, ...hunk.patchLines.map(withoutCarriageReturn)].join('\n');
}

/**
 * Lines with their endings, split where jsdiff splits (after "\n", so "\r\n" stays one ending
 * and a lone "\r" is no break); joining them gives the text back byte for byte.
 */
function splitKeepingEnds(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

function sliceLines(text: string, start: number, count: number): string[] {
  return splitKeepingEnds(text).slice(start - 1, start - 1 + count);
}

function spliceLines(text: string, start: number, count: number, replacement: readonly string[]): string {
  const lines = splitKeepingEnds(text);
  lines.splice(start - 1, count, ...replacement);
  return lines.join('');
}
