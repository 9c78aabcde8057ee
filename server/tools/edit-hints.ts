// Why an edit's old_text did not match, in a sentence the model can act on. Models most often
// get whitespace or one line slightly wrong; pointing at the near miss saves a full re-read.
import { cutLine } from './truncate';

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function bigrams(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (let index = 0; index < text.length - 1; index++) {
    const pair = text.slice(index, index + 2);
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  return counts;
}

/** Dice coefficient over character bigrams: 1 for equal strings, near 0 for unrelated ones. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const left = bigrams(a);
  let shared = 0;
  for (const [pair, count] of bigrams(b)) shared += Math.min(count, left.get(pair) ?? 0);
  return (2 * shared) / (a.length - 1 + (b.length - 1));
}

const CLOSE_ENOUGH = 0.6;

function closestLine(lines: string[], wanted: string): { line: number; text: string } | null {
  let best: { line: number; text: string; score: number } | null = null;
  for (const [index, text] of lines.entries()) {
    const score = similarity(text.trim(), wanted);
    if (score >= CLOSE_ENOUGH && (!best || score > best.score)) best = { line: index + 1, text, score };
  }
  return best;
}

/** A hint for an old_text that does not occur in `fileText`; always ends by advising a re-read. */
export function notFoundHint(fileText: string, oldText: string): string {
  const reread = 'Read the file again and copy the exact text.';
  if (collapseWhitespace(fileText).includes(collapseWhitespace(oldText))) {
    return `It would match if whitespace were ignored: check indentation, tabs versus spaces and line breaks. ${reread}`;
  }
  const firstLine = oldText.split('\n').find((line) => line.trim() !== '')?.trim();
  if (!firstLine) return reread;
  const lines = fileText.split('\n');
  const exact = lines.findIndex((line) => line.trim() === firstLine);
  if (exact !== -1) return `Its first line matches line ${exact + 1}, but the lines after it differ. ${reread}`;
  const close = closestLine(lines, firstLine);
  if (close) return `The closest line is ${close.line}: "${cutLine(close.text.trim(), 200)}". ${reread}`;
  return reread;
}
