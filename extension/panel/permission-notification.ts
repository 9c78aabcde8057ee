// A question from the agent while the panel is hidden: a notification with the choices (or
// just "Open Tether" when the answer needs the panel's fields). Whichever surface answers first wins.
import type * as acp from '@agentclientprotocol/sdk';
import * as vscode from 'vscode';
import type { PendingPermission } from '../shared/messages';

const OPEN = 'Open Tether';

export async function notifyPermission(permission: PendingPermission, options: acp.PermissionOption[], reveal: () => Promise<void>): Promise<string | undefined> {
  const title = permission.request.toolCall.title ?? 'The agent asks for permission';
  const buttons = [...options.map((option) => option.name), OPEN];
  const chosen = await vscode.window.showInformationMessage(`Tether: ${title}`, ...buttons);
  if (chosen === OPEN) {
    await reveal();
    return 'open';
  }
  return options.find((option) => option.name === chosen)?.optionId;
}
