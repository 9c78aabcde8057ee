// Which of the agent's slash commands fit what the user is typing: only while the message is
// a lone "/word" (no space yet), so completion never gets in the way of ordinary text. Pure.
import type { AvailableCommand } from '@agentclientprotocol/sdk';

export function commandMatches(value: string, commands: readonly AvailableCommand[]): AvailableCommand[] {
  const typed = /^\/([\w-]*)$/.exec(value)?.[1];
  if (typed === undefined) return [];
  const prefix = typed.toLowerCase();
  return commands.filter((command) => command.name.toLowerCase().startsWith(prefix) && command.name.toLowerCase() !== prefix);
}

/** The message text once a command is picked, ready for its argument. */
export function completeCommand(command: AvailableCommand): string {
  return `/${command.name} `;
}
