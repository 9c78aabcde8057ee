// The list of matching slash commands over the message box. The composer drives it with the
// keyboard (Up/Down choose, Tab/Enter take, Escape closes); a click takes one too.
import type { AvailableCommand } from '@agentclientprotocol/sdk';
import { el } from './dom';

export class SlashMenu {
  readonly node = el('div', { class: 'slash-menu hidden', testid: 'slash-menu', attrs: { role: 'listbox' } });
  private matches: AvailableCommand[] = [];
  private selected = 0;

  constructor(private readonly onPick: (command: AvailableCommand) => void) {}

  get open(): boolean {
    return this.matches.length > 0;
  }

  show(matches: AvailableCommand[]): void {
    this.matches = matches;
    this.selected = Math.min(this.selected, Math.max(0, matches.length - 1));
    this.draw();
  }

  close(): void {
    this.show([]);
  }

  move(by: number): void {
    if (!this.open) return;
    this.selected = (this.selected + by + this.matches.length) % this.matches.length;
    this.draw();
  }

  pickSelected(): void {
    const command = this.matches[this.selected];
    if (command) this.onPick(command);
  }

  private draw(): void {
    this.node.classList.toggle('hidden', !this.open);
    this.node.replaceChildren(
      ...this.matches.map((command, index) => {
        const item = el('div', { class: `slash-item${index === this.selected ? ' selected' : ''}`, testid: 'slash-item', attrs: { role: 'option', 'aria-selected': String(index === this.selected) } }, [
          el('span', { class: 'slash-name', text: `/${command.name}` }),
          el('span', { class: 'slash-description', text: command.description }),
        ]);
        // mousedown, not click: the message box must keep the focus.
        item.addEventListener('mousedown', (event) => {
          event.preventDefault();
          this.onPick(command);
        });
        return item;
      }),
    );
  }
}
