// Where a streaming markdown text may be cut so the part before never renders differently
// again: after a blank line outside a code fence, before a line that cannot continue the
// block above (not indented, not a list item, not a table row). The renderer keeps the part
// before such a cut as finished HTML and re-renders only the tail on each delta. Pure.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const CONTINUES_ABOVE = /^(\s|[-+*]\s|\d{1,9}[.)]\s|\||>|\[[^\]]*\]:)/;

/**
 * The offset of the last safe cut in `text` at or after `from` (which must itself be a cut or
 * 0), or `from` when there is none. Cuts are only looked for once the tail is `minTail` long,
 * so short messages always render whole.
 */
export function lastSafeCut(text: string, from: number, minTail = 2000): number {
  if (text.length - from < minTail) return from;
  let cut = from;
  let fence: string | undefined;
  let previousBlank = false;
  let offset = from;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    // The last line may still be growing: only lines ended by a newline count.
    if (end < 0) break;
    const line = text.slice(offset, end);
    const blank = line.trim() === '';
    if (fence === undefined && previousBlank && !blank && !CONTINUES_ABOVE.test(line)) cut = offset;
    fence = nextFence(line, fence);
    previousBlank = blank && fence === undefined;
    offset = end + 1;
  }
  return cut;
}

/** The open fence after `line`: a fence opens with ``` or ~~~ and closes with at least as many of the same. */
function nextFence(line: string, open: string | undefined): string | undefined {
  const match = FENCE.exec(line);
  if (!match) return open;
  const marker = match[1]!;
  if (open === undefined) return marker;
  const closes = marker[0] === open[0] && marker.length >= open.length && line.trim() === marker;
  return closes ? undefined : open;
}
