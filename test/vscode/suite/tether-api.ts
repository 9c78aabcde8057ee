// How the extension-host suites reach the running extension: its activate() result.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TetherTestApi } from '../../../extension/extension';

export const EXTENSION_ID = 'tether.tether-agent';

export async function tetherApi(): Promise<TetherTestApi> {
  const extension = vscode.extensions.getExtension<TetherTestApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension.activate();
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test window has no workspace folder');
  return vscode.Uri.joinPath(folder.uri, name);
}
