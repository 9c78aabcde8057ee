// Mode and model as ACP config options (and the legacy modes state), built from session settings.
import type { SessionConfigOption, SessionModeState } from '@agentclientprotocol/sdk';
import { MODES, type ModeId } from '../permissions/modes';

export const MODE_OPTION_ID = 'mode';
export const MODEL_OPTION_ID = 'model';
export const SANDBOX_OPTION_ID = 'sandbox';

/** What commands may touch. Full access is an explicit choice here, never implied by a mode. */
export type SandboxChoice = 'workspace-write' | 'full-access';
export const SANDBOX_CHOICES: ReadonlyArray<{ value: SandboxChoice; name: string; description: string }> = [
  { value: 'workspace-write', name: 'Sandboxed', description: 'Commands may write only in the workspace and have no network unless you approve it.' },
  { value: 'full-access', name: 'Full access', description: 'Commands run unconfined with your permissions (secrets are still kept out of their environment).' },
];

export function isSandboxChoice(value: string): value is SandboxChoice {
  return SANDBOX_CHOICES.some((choice) => choice.value === value);
}

export function modeState(mode: ModeId): SessionModeState {
  return {
    currentModeId: mode,
    availableModes: MODES.map((info) => ({ id: info.id, name: info.name, description: info.description })),
  };
}

export function configOptions(mode: ModeId, model: string, models: readonly string[], sandbox: SandboxChoice): SessionConfigOption[] {
  const modelChoices = models.includes(model) ? models : [model, ...models];
  return [
    {
      id: MODE_OPTION_ID,
      name: 'Mode',
      category: 'mode',
      type: 'select',
      currentValue: mode,
      options: MODES.map((info) => ({ value: info.id, name: info.name, description: info.description })),
    },
    {
      id: MODEL_OPTION_ID,
      name: 'Model',
      category: 'model',
      type: 'select',
      currentValue: model,
      options: modelChoices.map((name) => ({ value: name, name })),
    },
    {
      id: SANDBOX_OPTION_ID,
      name: 'Sandbox',
      // Custom categories start with an underscore (ACP).
      category: '_sandbox',
      type: 'select',
      currentValue: sandbox,
      options: SANDBOX_CHOICES.map(({ value, name, description }) => ({ value, name, description })),
    },
  ];
}
