// The panel's side sections: the live plan, the diff review and the sessions list.
import type { PlanEntry, SessionInfo } from '@agentclientprotocol/sdk';
import type { ReviewState, WebviewMessage } from '../shared/messages';
import { button, el, relativeTime } from './dom';

type Post = (message: WebviewMessage) => void;

const PLAN_ICONS: Record<string, string> = { pending: '○', in_progress: '◐', completed: '●' };

/** Open unless the user collapsed it; `onToggle` remembers their choice across redraws. */
export function renderPlan(entries: readonly PlanEntry[], open: boolean, onToggle: (open: boolean) => void): HTMLElement | undefined {
  if (entries.length === 0) return undefined;
  const done = entries.filter((entry) => entry.status === 'completed').length;
  const list = el('ol', { class: 'plan-entries' });
  for (const entry of entries) {
    const item = el('li', { class: `plan-entry ${entry.status} priority-${entry.priority}`, testid: 'plan-entry' }, [
      el('span', { class: 'plan-icon', text: PLAN_ICONS[entry.status] ?? '○', title: entry.status }),
      el('span', { class: 'plan-content', text: entry.content }),
      entry.priority === 'high' && el('span', { class: 'priority', text: 'high' }),
    ]);
    item.dataset.status = entry.status;
    list.append(item);
  }
  const box = el('details', { class: 'plan', testid: 'plan' }, [el('summary', { text: `Plan · ${done}/${entries.length} done` }), list]);
  box.open = open;
  box.addEventListener('toggle', () => onToggle(box.open));
  return box;
}

export function renderReview(review: ReviewState, post: Post): HTMLElement | undefined {
  if (review.files.length === 0 && review.unreportedRejections === 0) return undefined;
  const section = el('section', { class: 'review', testid: 'review' });
  const head = el('div', { class: 'review-head' }, [el('span', { text: `Review changes · ${review.files.length} file(s)` })]);
  if (review.files.length > 0) {
    head.append(
      button('Accept all', () => post({ type: 'reviewAll', verdict: 'accept' }), { testid: 'accept-all' }),
      button('Reject all', () => post({ type: 'reviewAll', verdict: 'reject' }), { class: 'secondary', testid: 'reject-all' }),
    );
  }
  section.append(head);
  for (const file of review.files) {
    const box = el('details', { class: 'review-file', testid: 'review-file' });
    box.open = true;
    box.dataset.path = file.path;
    box.append(
      el('summary', {}, [
        el('span', { class: 'file-label', text: `${file.label}${file.created ? ' (new)' : ''}` }),
        el('span', { class: 'added', text: `+${file.added}` }),
        el('span', { class: 'removed', text: `−${file.removed}` }),
        button('Open diff', () => post({ type: 'openDiff', path: file.path }), { class: 'link', testid: 'open-diff' }),
        button('Accept', () => post({ type: 'reviewFile', path: file.path, verdict: 'accept' }), { class: 'small', testid: 'accept-file' }),
        button('Reject', () => post({ type: 'reviewFile', path: file.path, verdict: 'reject' }), { class: 'small secondary', testid: 'reject-file' }),
      ]),
    );
    for (const hunk of file.hunks) {
      const lines = el('pre', { class: 'diff-lines' });
      for (const line of hunk.lines) lines.append(el('div', { class: line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'ctx', text: line }));
      const node = el('div', { class: 'hunk', testid: 'hunk' }, [
        el('div', { class: 'hunk-head' }, [
          el('span', { class: 'hunk-header', text: hunk.header }),
          button('Accept', () => post({ type: 'reviewHunk', path: file.path, hunkId: hunk.id, verdict: 'accept' }), { class: 'small', testid: 'accept-hunk' }),
          button('Reject', () => post({ type: 'reviewHunk', path: file.path, hunkId: hunk.id, verdict: 'reject' }), { class: 'small secondary', testid: 'reject-hunk' }),
        ]),
        lines,
      ]);
      node.dataset.hunkId = hunk.id;
      box.append(node);
    }
    section.append(box);
  }
  if (review.unreportedRejections > 0) {
    section.append(el('div', { class: 'note', testid: 'rejections-note', text: `${review.unreportedRejections} rejected change(s) will be reported to the agent with your next message.` }));
  }
  return section;
}

export function renderSessions(sessions: readonly SessionInfo[], currentId: string | undefined, post: Post): HTMLElement {
  const section = el('section', { class: 'sessions' }, [
    el('div', { class: 'sessions-head' }, [
      el('span', { text: 'Sessions in this workspace' }),
      button('New session', () => post({ type: 'newSession' }), { testid: 'new-session' }),
      button('Refresh', () => post({ type: 'refreshSessions' }), { class: 'secondary' }),
    ]),
  ]);
  if (sessions.length === 0) section.append(el('div', { class: 'note', text: 'No sessions yet.' }));
  for (const session of sessions) {
    const open = button(session.title || 'Untitled', () => post({ type: 'resumeSession', sessionId: session.sessionId }), { class: 'link session-title' });
    const remove = button('Delete', () => {
      if (remove.dataset.confirm) post({ type: 'deleteSession', sessionId: session.sessionId });
      else {
        remove.dataset.confirm = '1';
        remove.textContent = 'Really delete?';
      }
    }, { class: 'small secondary', testid: 'delete-session' });
    const row = el('div', { class: `session-item${session.sessionId === currentId ? ' current' : ''}`, testid: 'session-item' }, [open, el('span', { class: 'when', text: relativeTime(session.updatedAt) }), remove]);
    section.append(row);
  }
  return section;
}
