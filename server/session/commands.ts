// Slash commands the session offers (sent as available_commands_update) and their effect.
import type { AvailableCommand } from '@agentclientprotocol/sdk';
import type { UserPart } from '../loop/items';
import type { ModeId } from '../permissions/modes';

export const AVAILABLE_COMMANDS: AvailableCommand[] = [
  { name: 'plan', description: 'Switch to plan mode (read-only) and plan the task before changing anything', input: { hint: 'what to plan' } },
  { name: 'implement', description: 'Leave plan mode and implement, accepting edits', input: { hint: 'anything to add' } },
];

const COMMAND_MODES: Record<string, ModeId> = { plan: 'plan', implement: 'accept-edits' };

/** Reads a leading `/command` from the prompt: the mode it selects and the prompt without it. */
export function readCommand(parts: UserPart[]): { mode?: ModeId; parts: UserPart[] } {
  const first = parts[0];
  if (first?.type !== 'text') return { parts };
  const match = /^\/([a-z-]+)(?:\s+|$)/.exec(first.text);
  const mode = match ? COMMAND_MODES[match[1] ?? ''] : undefined;
  if (!match || !mode) return { parts };
  const rest = first.text.slice(match[0].length);
  const remaining: UserPart[] = rest ? [{ type: 'text', text: rest }, ...parts.slice(1)] : parts.slice(1);
  return { mode, parts: remaining.length > 0 ? remaining : [{ type: 'text', text: mode === 'plan' ? 'Plan the task we discussed.' : 'Implement the plan.' }] };
}
