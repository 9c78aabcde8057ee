// Session modes and what each may do, as data. Plan mode is enforced here, through the
// tools a mode offers and the decision for every call, never through the prompt alone.
import type { ToolAccess } from '../tools/types';

export type ModeId = 'default' | 'accept-edits' | 'plan' | 'bypass';

export interface ModeInfo {
  id: ModeId;
  name: string;
  description: string;
}

export const MODES: readonly ModeInfo[] = [
  { id: 'default', name: 'Default', description: 'Asks before edits and shell commands.' },
  { id: 'accept-edits', name: 'Accept edits', description: 'Edits without asking; asks before shell commands.' },
  { id: 'plan', name: 'Plan', description: 'Read-only: explores, asks questions and proposes a plan for approval.' },
  { id: 'bypass', name: 'Bypass permissions', description: 'Runs every tool without asking.' },
];

export const DEFAULT_MODE: ModeId = 'default';

export function isModeId(value: string): value is ModeId {
  return MODES.some((mode) => mode.id === value);
}

export type Verdict = 'allow' | 'ask' | 'deny';

/** What happens to a call of each access kind, per mode. */
const POLICY: Record<ModeId, Record<ToolAccess, Verdict>> = {
  default: { read: 'allow', plan: 'allow', edit: 'ask', execute: 'ask' },
  'accept-edits': { read: 'allow', plan: 'allow', edit: 'allow', execute: 'ask' },
  plan: { read: 'allow', plan: 'allow', edit: 'deny', execute: 'deny' },
  bypass: { read: 'allow', plan: 'allow', edit: 'allow', execute: 'allow' },
};

/** Tools that only make sense in one mode. */
const MODE_ONLY_TOOLS: Record<string, ModeId> = { exit_plan_mode: 'plan' };

export function verdictFor(mode: ModeId, toolName: string, access: ToolAccess): Verdict {
  const onlyIn = MODE_ONLY_TOOLS[toolName];
  if (onlyIn && onlyIn !== mode) return 'deny';
  return POLICY[mode][access];
}

/** Whether a tool is offered to the model at all in this mode (denied tools are not). */
export function isOffered(mode: ModeId, toolName: string, access: ToolAccess): boolean {
  return verdictFor(mode, toolName, access) !== 'deny';
}

export function denialMessage(mode: ModeId, toolName: string): string {
  if (mode === 'plan') {
    return `Plan mode is read-only: ${toolName} is not allowed. Finish the plan and call exit_plan_mode to ask the user for approval.`;
  }
  return `${toolName} is not available in ${mode} mode.`;
}
