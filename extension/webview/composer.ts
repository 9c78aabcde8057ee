// The message box: Enter sends, Shift+Enter is a new line, Escape cancels a running turn,
// ArrowUp in an empty box brings back the last message sent, "/" offers the agent's commands.
// While a turn runs, Cancel is shown and sending still works (the server queues the message).
import type { AvailableCommand } from '@agentclientprotocol/sdk';
import { button, el, icon } from './dom';
import { ICONS } from './icons';
import { SlashMenu } from './render-slash-menu';
import { commandMatches, completeCommand } from './slash-commands';

export interface ComposerActions {
  send(text: string): void;
  cancel(): void;
  draftChanged(text: string): void;
}

const IDLE_HINT = 'Enter to send · Shift+Enter for a new line';
const RUNNING_HINT = 'Enter queues it after this turn · Esc cancels';

export class Composer {
  readonly node: HTMLElement;
  readonly input = el('textarea', { class: 'input', testid: 'input', attrs: { rows: '1', 'aria-label': 'Message Tether', placeholder: 'Ask Tether to plan or change something…' } });
  private readonly sendButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly hint = el('span', { class: 'hint', text: IDLE_HINT });
  private readonly sent: string[] = [];
  private running = false;
  private commands: readonly AvailableCommand[] = [];
  private readonly menu = new SlashMenu((command) => {
    this.setDraft(completeCommand(command));
    this.actions.draftChanged(this.input.value);
    this.menu.close();
    this.input.focus();
  });

  constructor(private readonly actions: ComposerActions) {
    this.sendButton = button([icon(ICONS.send), 'Send'], () => this.submit(), { class: 'primary', testid: 'send', title: 'Send (Enter)' });
    this.cancelButton = button([icon(ICONS.stop), 'Cancel'], () => actions.cancel(), { class: 'danger hidden', testid: 'cancel', title: 'Cancel the running turn (Esc)' });
    this.node = el('footer', { class: 'composer' }, [this.menu.node, this.input, el('div', { class: 'composer-bar' }, [this.hint, el('span', { class: 'spacer' }), this.cancelButton, this.sendButton])]);
    this.input.addEventListener('keydown', (event) => this.onKey(event));
    this.input.addEventListener('input', () => {
      this.grow();
      this.menu.show(commandMatches(this.input.value, this.commands));
      actions.draftChanged(this.input.value);
    });
    this.input.addEventListener('blur', () => this.menu.close());
  }

  setCommands(commands: readonly AvailableCommand[]): void {
    this.commands = commands;
  }

  setRunning(running: boolean): void {
    this.running = running;
    this.cancelButton.classList.toggle('hidden', !running);
    this.node.classList.toggle('running', running);
    this.hint.textContent = running ? RUNNING_HINT : IDLE_HINT;
  }

  setDraft(text: string): void {
    this.input.value = text;
    this.grow();
  }

  focus(): void {
    this.input.focus();
    this.input.setSelectionRange(this.input.value.length, this.input.value.length);
  }

  private submit(): void {
    const text = this.input.value.trim();
    if (!text) return;
    this.sent.push(text);
    this.actions.send(text);
    this.setDraft('');
    this.actions.draftChanged('');
  }

  private onKey(event: KeyboardEvent): void {
    if (event.isComposing) return;
    if (this.menu.open && this.menuKey(event)) return event.preventDefault();
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      this.submit();
    } else if (event.key === 'Escape' && this.running) {
      event.preventDefault();
      this.actions.cancel();
    } else if (event.key === 'ArrowUp' && this.input.value === '' && this.sent.length > 0) {
      event.preventDefault();
      this.setDraft(this.sent[this.sent.length - 1]!);
    }
  }

  /** Keys the open command menu takes; false leaves the key to the message box. */
  private menuKey(event: KeyboardEvent): boolean {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') this.menu.move(event.key === 'ArrowDown' ? 1 : -1);
    else if (event.key === 'Tab' || (event.key === 'Enter' && !event.shiftKey)) this.menu.pickSelected();
    else if (event.key === 'Escape') this.menu.close();
    else return false;
    return true;
  }

  /** Fits the box to its text, up to the CSS max-height. */
  private grow(): void {
    this.input.style.height = 'auto';
    this.input.style.height = `${this.input.scrollHeight + 2}px`;
  }
}
