// The agent's plan, pinned above the transcript while the session has one: each entry with
// its status icon and priority, and a summary line that still says where the work is when
// the plan is folded.
import type { PlanEntry } from '@agentclientprotocol/sdk';
import { el, icon } from './dom';
import { ICONS } from './icons';

const STATUS_ICONS: Record<string, readonly string[]> = { pending: ICONS.pending, in_progress: ICONS.progress, completed: ICONS.check };
const STATUS_NAMES: Record<string, string> = { pending: 'Pending', in_progress: 'In progress', completed: 'Completed' };

export class PlanView {
  readonly node = el('details', { class: 'plan hidden', testid: 'plan' });
  private readonly summary = el('summary');
  private readonly list = el('ol', { class: 'plan-entries' });

  constructor(open: boolean, onToggle: (open: boolean) => void) {
    this.node.open = open;
    this.node.append(this.summary, this.list);
    this.node.addEventListener('toggle', () => onToggle(this.node.open));
  }

  update(entries: readonly PlanEntry[]): void {
    this.node.classList.toggle('hidden', entries.length === 0);
    if (entries.length === 0) return;
    const done = entries.filter((entry) => entry.status === 'completed').length;
    const current = entries.find((entry) => entry.status === 'in_progress');
    this.summary.replaceChildren(
      el('span', { class: 'plan-heading', text: 'Plan' }),
      el('span', { class: 'plan-progress', text: `${done}/${entries.length}` }),
      current ? el('span', { class: 'plan-current', text: current.content }) : '',
    );
    this.list.replaceChildren(...entries.map(planItem));
  }
}

function planItem(entry: PlanEntry): HTMLElement {
  return el('li', { class: `plan-entry ${entry.status}`, testid: 'plan-entry', data: { status: entry.status, priority: entry.priority } }, [
    icon(STATUS_ICONS[entry.status] ?? ICONS.pending, `icon plan-icon ${entry.status}`),
    el('span', { class: 'plan-content', text: entry.content, title: STATUS_NAMES[entry.status] ?? entry.status }),
    el('span', { class: `priority ${entry.priority}`, text: entry.priority, title: `${entry.priority} priority` }),
  ]);
}
