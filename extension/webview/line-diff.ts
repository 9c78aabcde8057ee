// A line diff for tool cards and permission prompts (the review itself uses the host's hunks).
// Common prefix and suffix are trimmed first, so the LCS table covers only the changed middle;
// a middle too large for that falls back to "all removed, all added". Pure: no DOM.

export type DiffLineType = 'context' | 'add' | 'del';

export interface DiffLine {
  type: DiffLineType;
  text: string;
}

export interface DiffHunk {
  /** 1-based first line of the hunk in the old and the new text. */
  oldStart: number;
  newStart: number;
  lines: DiffLine[];
}

export interface LineDiff {
  hunks: DiffHunk[];
  added: number;
  removed: number;
}

/** Beyond this many table cells the exact LCS is not worth its time in a UI thread. */
const MAX_TABLE_CELLS = 400_000;

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function diffLines(oldText: string, newText: string, context = 3): LineDiff {
  const ops = diffOps(splitLines(oldText), splitLines(newText));
  const added = ops.filter((op) => op.type === 'add').length;
  const removed = ops.filter((op) => op.type === 'del').length;
  return { hunks: groupHunks(ops, context), added, removed };
}

/** Every line of both texts in order, each marked kept, added or removed. */
export function diffOps(a: string[], b: string[]): DiffLine[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const middle = middleOps(a.slice(start, endA), b.slice(start, endB));
  const keep = (text: string): DiffLine => ({ type: 'context', text });
  return [...a.slice(0, start).map(keep), ...middle, ...a.slice(endA).map(keep)];
}

function middleOps(a: string[], b: string[]): DiffLine[] {
  const removedAll = a.map((text): DiffLine => ({ type: 'del', text }));
  const addedAll = b.map((text): DiffLine => ({ type: 'add', text }));
  if (a.length === 0 || b.length === 0 || (a.length + 1) * (b.length + 1) > MAX_TABLE_CELLS) return [...removedAll, ...addedAll];
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..], in one flat array.
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const ops: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      ops.push({ type: 'context', text: a[i++]! });
      j++;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) {
      ops.push({ type: 'del', text: a[i++]! });
    } else {
      ops.push({ type: 'add', text: b[j++]! });
    }
  }
  while (i < a.length) ops.push({ type: 'del', text: a[i++]! });
  while (j < b.length) ops.push({ type: 'add', text: b[j++]! });
  return ops;
}

/** Changes with `context` kept lines around them; changes closer than twice that share a hunk. */
export function groupHunks(ops: DiffLine[], context: number): DiffHunk[] {
  const hunks: DiffHunk[] = [];
  let current: { from: number; to: number } | undefined;
  const ranges: Array<{ from: number; to: number }> = [];
  ops.forEach((op, index) => {
    if (op.type === 'context') return;
    const from = Math.max(0, index - context);
    const to = Math.min(ops.length, index + context + 1);
    if (current && from <= current.to) current.to = to;
    else ranges.push((current = { from, to }));
  });
  let oldLine = 1;
  let newLine = 1;
  let cursor = 0;
  for (const range of ranges) {
    for (; cursor < range.from; cursor++) {
      oldLine += ops[cursor]!.type === 'add' ? 0 : 1;
      newLine += ops[cursor]!.type === 'del' ? 0 : 1;
    }
    hunks.push({ oldStart: oldLine, newStart: newLine, lines: ops.slice(range.from, range.to) });
  }
  return hunks;
}
