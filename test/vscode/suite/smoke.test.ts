// The first thing to know in a real extension host: the extension is there and activates.
import { describe, it } from 'mocha';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './tether-api';

describe('smoke', () => {
  it(`${EXTENSION_ID} is installed and activates`, async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not among ${vscode.extensions.all.length} extensions`);
    await extension.activate();
    assert.equal(extension.isActive, true);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('tether.openPanel'), 'tether.openPanel is registered');
  });
});
