// Diffs as +/- lines: a tool call's {type:'diff'} content (computed here) and the review's
// hunks (already prefixed by the host). Long diffs are cut so a card stays light.
import { el } from './dom';
import { baseName } from './format';
import { diffLines, type DiffLine } from './line-diff';

const MAX_LINES = 400;
const PREFIX = { context: ' ', add: '+', del: '-' } as const;

export function renderDiffLines(lines: readonly DiffLine[], max = MAX_LINES): HTMLElement {
  const pre = el('pre', { class: 'diff-lines' });
  for (const line of lines.slice(0, max)) {
    pre.append(el('div', { class: `diff-line ${line.type}` }, [el('span', { class: 'diff-sign', text: PREFIX[line.type] }), line.text || '\u200b']));
  }
  if (lines.length > max) pre.append(el('div', { class: 'diff-line more', text: `… ${lines.length - max} more lines` }));
  return pre;
}

/** The review's hunk lines: ' ', '+' or '-' then the text. */
export function prefixedLines(lines: readonly string[]): DiffLine[] {
  return lines.map((line) => ({ type: line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'context', text: line.slice(1) }));
}

export interface DiffSummary {
  node: HTMLElement;
  added: number;
  removed: number;
}

export function renderFileDiff(path: string, oldText: string | null | undefined, newText: string, openFile?: () => void): DiffSummary {
  const diff = diffLines(oldText ?? '', newText);
  const created = oldText === null || oldText === undefined;
  const name = el('span', { class: 'diff-path', text: baseName(path), title: path });
  const head = el('div', { class: 'diff-head' }, [
    name,
    created && el('span', { class: 'tag', text: 'new' }),
    el('span', { class: 'added', text: `+${diff.added}` }),
    el('span', { class: 'removed', text: `−${diff.removed}` }),
  ]);
  if (openFile) {
    name.classList.add('clickable');
    name.addEventListener('click', openFile);
  }
  const box = el('div', { class: 'diff' }, [head]);
  diff.hunks.forEach((hunk, index) => {
    if (index > 0) box.append(el('div', { class: 'diff-gap', text: '⋯' }));
    box.append(renderDiffLines(hunk.lines));
  });
  if (diff.hunks.length === 0) box.append(el('div', { class: 'note', text: 'No changes' }));
  return { node: box, added: diff.added, removed: diff.removed };
}
