// The frame every permission prompt shares: a head with icon and title, the body, a row of
// real buttons, and the keyboard: 1..9 pick the numbered choices, Escape dismisses.
import type { WebviewMessage } from '../shared/messages';
import { button, disableButtons, el, isTextField } from './dom';
import { kindIcon } from './icons';
import type { PermissionKind } from './permission-kind';

export type PermissionAnswer = Omit<Extract<WebviewMessage, { type: 'permissionResponse' }>, 'type' | 'requestId'>;
export type Respond = (answer: PermissionAnswer) => void;

export interface PermissionFrame {
  node: HTMLElement;
  body: HTMLElement;
  actions: HTMLElement;
}

/** `respond` sends once: the buttons go inert until the host removes the card. */
export function permissionFrame(kind: PermissionKind, title: string, toolKind: string, send: Respond): PermissionFrame & { respond: Respond } {
  const body = el('div', { class: 'permission-body' });
  const actions = el('div', { class: 'permission-actions' });
  const node = el('div', { class: `permission kind-${kind}`, testid: 'permission', data: { kind }, attrs: { role: 'group', 'aria-label': title } }, [
    el('div', { class: 'permission-head' }, [kindIcon(toolKind), el('span', { class: 'permission-title', text: title })]),
    body,
    actions,
  ]);
  // Focusable itself, so keys still reach it after Escape leaves a text field.
  node.tabIndex = -1;
  const respond: Respond = (answer) => {
    if (node.classList.contains('answered')) return;
    node.classList.add('answered');
    disableButtons(node);
    send(answer);
  };
  return { node, body, actions, respond };
}

/** A button labelled with its number key. */
export function numberedButton(index: number, label: string, onClick: () => void, props: { class?: string; testid?: string; title?: string } = {}): HTMLButtonElement {
  const node = button([index <= 9 ? el('kbd', { text: String(index) }) : '', label], onClick, props);
  node.dataset.key = String(index);
  return node;
}

/**
 * Digits press the frame's numbered buttons (outside text fields), Escape dismisses. In a text
 * field with text, Escape only leaves the field, so a typed answer is not lost by accident.
 */
export function installPermissionKeys(frame: PermissionFrame, respond: Respond, numberedRoot: (focused: Element | null) => HTMLElement = () => frame.node): void {
  frame.node.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      const field = event.target;
      if (isTextField(field) && (field as HTMLTextAreaElement).value.trim()) return frame.node.focus();
      return respond({});
    }
    if (!/^[1-9]$/.test(event.key) || isTextField(event.target)) return;
    const target = numberedRoot(document.activeElement).querySelector<HTMLButtonElement>(`button[data-key="${event.key}"]:not([disabled])`);
    if (!target) return;
    event.preventDefault();
    target.click();
  });
}
