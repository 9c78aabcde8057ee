// The sessions of this workspace, shown instead of the transcript while the history is open:
// resume one by clicking it, delete one after an inline confirmation, start a new one.
import type { SessionInfo } from '@agentclientprotocol/sdk';
import { button, disableButtons, el, icon } from './dom';
import { relativeTime } from './format';
import { ICONS, kindIcon } from './icons';

export interface SessionsActions {
  resume(sessionId: string): void;
  remove(sessionId: string): void;
  newSession(): void;
  refresh(): void;
  close(): void;
}

export class SessionsView {
  readonly node = el('section', { class: 'sessions hidden', testid: 'sessions', attrs: { 'aria-label': 'Sessions' } });
  private readonly list = el('div', { class: 'session-list', attrs: { role: 'list' } });
  private confirming: string | undefined;
  private sessions: readonly SessionInfo[] = [];
  private currentId: string | undefined;

  constructor(private readonly actions: SessionsActions) {
    this.node.append(
      el('div', { class: 'sessions-head' }, [
        el('span', { class: 'sessions-title', text: 'Sessions' }),
        el('span', { class: 'spacer' }),
        button([icon(ICONS.plus), 'New session'], () => actions.newSession(), { class: 'primary small', testid: 'new-session' }),
        button(icon(ICONS.refresh), () => actions.refresh(), { class: 'icon-button', testid: 'refresh-sessions', title: 'Refresh' }),
        button(icon(ICONS.close), () => actions.close(), { class: 'icon-button', testid: 'close-sessions', title: 'Back to the conversation' }),
      ]),
      this.list,
    );
    this.node.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') actions.close();
    });
  }

  get open(): boolean {
    return !this.node.classList.contains('hidden');
  }

  setOpen(open: boolean): void {
    this.node.classList.toggle('hidden', !open);
    this.confirming = undefined;
    if (open) this.draw();
  }

  update(sessions: readonly SessionInfo[], currentId: string | undefined): void {
    this.sessions = [...sessions].sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? ''));
    this.currentId = currentId;
    if (this.open) this.draw();
  }

  private draw(): void {
    if (this.sessions.length === 0) return this.list.replaceChildren(el('div', { class: 'note', text: 'No sessions in this workspace yet.' }));
    this.list.replaceChildren(...this.sessions.map((session) => this.item(session)));
  }

  private item(session: SessionInfo): HTMLElement {
    const current = session.sessionId === this.currentId;
    const row = el('div', { class: `session-item${current ? ' current' : ''}`, testid: 'session-item', data: { sessionId: session.sessionId }, attrs: { role: 'listitem' } });
    if (this.confirming === session.sessionId) {
      row.classList.add('confirming');
      row.append(
        el('span', { class: 'session-title', text: `Delete “${session.title || 'Untitled'}”?` }),
        button('Delete', () => {
          disableButtons(row);
          this.actions.remove(session.sessionId);
        }, { class: 'danger small', testid: 'confirm-delete' }),
        button('Keep', () => this.confirm(undefined), { class: 'secondary small', testid: 'cancel-delete' }),
      );
      return row;
    }
    const open = button(
      [el('span', { class: 'session-name', text: session.title || 'Untitled' }), el('span', { class: 'when', text: relativeTime(session.updatedAt) })],
      () => this.actions.resume(session.sessionId),
      { class: 'session-open', title: current ? 'The current session' : 'Resume this session' },
    );
    row.append(open, button(kindIcon('delete'), () => this.confirm(session.sessionId), { class: 'icon-button', testid: 'delete-session', title: 'Delete session' }));
    return row;
  }

  private confirm(sessionId: string | undefined): void {
    this.confirming = sessionId;
    this.draw();
    this.list.querySelector<HTMLElement>(sessionId ? '[data-testid="confirm-delete"]' : '.session-open')?.focus();
  }
}
