// Mode and model as ACP config options (and the legacy modes state), built from session settings.
import type { SessionConfigOption, SessionModeState } from '@agentclientprotocol/sdk';
import { MODES, type ModeId } from '../permissions/modes';

export const MODE_OPTION_ID = 'mode';
export const MODEL_OPTION_ID = 'model';

export function modeState(mode: ModeId): SessionModeState {
  return {
    currentModeId: mode,
    availableModes: MODES.map((info) => ({ id: info.id, name: info.name, description: info.description })),
  };
}

export function configOptions(mode: ModeId, model: string, models: readonly string[]): SessionConfigOption[] {
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
  ];
}
