// The diff review of the agent's changes: per file its counts, "Open diff", accept/reject for
// the file and for each hunk; accept/reject all; and the note about rejections the agent will
// hear of with the next message. Which files are folded survives every redraw.
import type { ReviewFile, ReviewHunk, ReviewState } from '../shared/messages';
import { button, disableButtons, el, icon } from './dom';
import { ICONS } from './icons';
import { prefixedLines, renderDiffLines } from './render-diff';

type Verdict = 'accept' | 'reject';

export interface ReviewActions {
  openDiff(path: string): void;
  reviewFile(path: string, verdict: Verdict): void;
  reviewHunk(path: string, hunkId: string, verdict: Verdict): void;
  reviewAll(verdict: Verdict): void;
}

/** Files open by default while there are this few. */
const OPEN_BELOW = 4;

export class ReviewView {
  readonly node = el('section', { class: 'review hidden', testid: 'review', attrs: { 'aria-label': 'Review changes' } });
  private readonly folded = new Map<string, boolean>();

  constructor(private readonly actions: ReviewActions) {}

  update(review: ReviewState): void {
    const empty = review.files.length === 0 && review.unreportedRejections === 0;
    this.node.classList.toggle('hidden', empty);
    if (empty) return this.node.replaceChildren();
    const scrollTop = this.node.scrollTop;
    const files = el('div', { class: 'review-files' }, review.files.map((file) => this.file(file, review.files.length < OPEN_BELOW)));
    this.node.replaceChildren(this.head(review), files);
    if (review.unreportedRejections > 0) {
      const count = review.unreportedRejections;
      this.node.append(el('div', { class: 'note rejections', testid: 'rejections-note', text: `${count} rejected change${count === 1 ? '' : 's'} will be reported to the agent with your next message.` }));
    }
    this.node.scrollTop = scrollTop;
  }

  private head(review: ReviewState): HTMLElement {
    const added = review.files.reduce((sum, file) => sum + file.added, 0);
    const removed = review.files.reduce((sum, file) => sum + file.removed, 0);
    const count = review.files.length;
    const head = el('div', { class: 'review-head' }, [
      el('span', { class: 'review-title', text: 'Review changes' }),
      count > 0 && el('span', { class: 'review-count', text: `${count} file${count === 1 ? '' : 's'}` }),
      count > 0 && el('span', { class: 'added', text: `+${added}` }),
      count > 0 && el('span', { class: 'removed', text: `−${removed}` }),
      el('span', { class: 'spacer' }),
    ]);
    if (count > 0) {
      head.append(
        button('Accept all', () => this.verdict(head, () => this.actions.reviewAll('accept')), { class: 'primary small', testid: 'accept-all' }),
        button('Reject all', () => this.verdict(head, () => this.actions.reviewAll('reject')), { class: 'secondary small', testid: 'reject-all' }),
      );
    }
    return head;
  }

  private file(file: ReviewFile, openByDefault: boolean): HTMLElement {
    const box = el('details', { class: 'review-file', testid: 'review-file', data: { path: file.path } });
    box.open = !(this.folded.get(file.path) ?? !openByDefault);
    box.addEventListener('toggle', () => this.folded.set(file.path, !box.open));
    const summary = el('summary', {}, [
      icon(ICONS.file),
      el('span', { class: 'file-label', text: file.label, title: file.path }),
      file.created && el('span', { class: 'tag', text: 'new' }),
      el('span', { class: 'added', text: `+${file.added}` }),
      el('span', { class: 'removed', text: `−${file.removed}` }),
      el('span', { class: 'spacer' }),
      button('Open diff', () => this.actions.openDiff(file.path), { class: 'link small', testid: 'open-diff', inSummary: true }),
      button('Accept', () => this.verdict(box, () => this.actions.reviewFile(file.path, 'accept')), { class: 'small', testid: 'accept-file', title: 'Accept file', inSummary: true }),
      button('Reject', () => this.verdict(box, () => this.actions.reviewFile(file.path, 'reject')), { class: 'small secondary', testid: 'reject-file', title: 'Reject file', inSummary: true }),
    ]);
    box.append(summary, ...file.hunks.map((hunk) => this.hunk(file, hunk)));
    return box;
  }

  private hunk(file: ReviewFile, hunk: ReviewHunk): HTMLElement {
    const node = el('div', { class: 'hunk', testid: 'hunk', data: { hunkId: hunk.id } });
    node.append(
      el('div', { class: 'hunk-head' }, [
        el('span', { class: 'hunk-header', text: hunk.header }),
        button('Accept', () => this.verdict(node, () => this.actions.reviewHunk(file.path, hunk.id, 'accept')), { class: 'small', testid: 'accept-hunk', title: 'Accept this change' }),
        button('Reject', () => this.verdict(node, () => this.actions.reviewHunk(file.path, hunk.id, 'reject')), { class: 'small secondary', testid: 'reject-hunk', title: 'Reject this change' }),
      ]),
      renderDiffLines(prefixedLines(hunk.lines)),
    );
    return node;
  }

  /** One verdict per click: the buttons wait for the host's next review state (or a while, if it fails). */
  private verdict(scope: HTMLElement, send: () => void): void {
    disableButtons(scope);
    send();
    setTimeout(() => {
      for (const node of scope.querySelectorAll('button')) node.disabled = false;
    }, 5000);
  }
}
