// Keeps the transcript at its newest line while the user is there, and leaves them alone once
// they scroll up (a "jump to latest" button appears instead). Growth is noticed by a
// ResizeObserver, so following costs no forced layout per streamed delta.
import { button, icon } from './dom';
import { ICONS } from './icons';

/** Within this many pixels of the end counts as "at the bottom". */
const SLACK = 32;

export class ScrollFollower {
  /** Whether new content should scroll into view. */
  pinned = true;
  readonly jumpButton: HTMLButtonElement;
  private lastTop = 0;

  constructor(
    private readonly scroller: HTMLElement,
    content: HTMLElement,
  ) {
    this.jumpButton = button([icon(ICONS.down), 'Latest'], () => this.stick(), { class: 'jump hidden', testid: 'jump-latest', title: 'Scroll to the latest message' });
    scroller.addEventListener('scroll', () => this.onScroll(), { passive: true });
    new ResizeObserver(() => this.onGrow()).observe(content);
  }

  /** Scrolls to the end and follows from now on (e.g. after the user sends a message). */
  stick(): void {
    this.pinned = true;
    this.jumpButton.classList.add('hidden');
    this.toEnd();
  }

  /** Puts the scroll back where a previous page of this panel left it. */
  restore(scrollTop: number, pinned: boolean): void {
    if (pinned) return this.stick();
    this.pinned = false;
    this.scroller.scrollTop = scrollTop;
  }

  get scrollTop(): number {
    return this.scroller.scrollTop;
  }

  private toEnd(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  /**
   * Only a move up unpins: growth between our scroll and its event must not look like the
   * user leaving the bottom.
   */
  private onScroll(): void {
    const top = this.scroller.scrollTop;
    const distance = this.scroller.scrollHeight - top - this.scroller.clientHeight;
    if (distance <= SLACK) this.pinned = true;
    else if (top < this.lastTop) this.pinned = false;
    this.lastTop = top;
    if (this.pinned) this.jumpButton.classList.add('hidden');
  }

  private onGrow(): void {
    if (this.pinned) this.toEnd();
    else if (this.scroller.scrollHeight > this.scroller.clientHeight) this.jumpButton.classList.remove('hidden');
  }
}
