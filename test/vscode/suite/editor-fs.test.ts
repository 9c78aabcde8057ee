// fs/read_text_file sees unsaved buffers; fs/write_text_file is one undoable WorkspaceEdit, saved.
import { before, describe, it } from 'mocha';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { readTextFile, writeTextFile } from '../../../extension/editor/fs';
import { tetherApi, workspaceFile } from './tether-api';

const noReview = { beforeWrite: () => {}, afterWrite: () => {} };

describe('editor side of ACP: files', () => {
  before(async () => {
    await tetherApi();
  });

  it('reads the unsaved text of an open document, not the disk', async () => {
    const uri = workspaceFile('notes.txt');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('on disk\n'));
    const editor = await vscode.window.showTextDocument(uri);
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'unsaved '));
    assert.equal(editor.document.isDirty, true);
    const read = await readTextFile({ sessionId: 's', path: uri.fsPath });
    assert.equal(read.content, 'unsaved on disk\n');
    assert.equal(readFileSync(uri.fsPath, 'utf8'), 'on disk\n');
    const lines = await readTextFile({ sessionId: 's', path: uri.fsPath, line: 1, limit: 1 });
    assert.equal(lines.content, 'unsaved on disk');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('a missing file is a resource-not-found error', async () => {
    await assert.rejects(readTextFile({ sessionId: 's', path: workspaceFile('missing.txt').fsPath }), /File not found/);
  });

  it('writes through a WorkspaceEdit that saves and can be undone', async () => {
    const uri = workspaceFile('undo-me.txt');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('before\n'));
    const seen: Array<string | undefined> = [];
    await writeTextFile({ sessionId: 's', path: uri.fsPath, content: 'after\n' }, { ...noReview, beforeWrite: (_path, before) => seen.push(before) });
    assert.deepEqual(seen, ['before\n']);
    assert.equal(readFileSync(uri.fsPath, 'utf8'), 'after\n');
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('undo');
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.getText(), 'before\n');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('creates a file that did not exist', async () => {
    const uri = workspaceFile('created/new-file.txt');
    await vscode.workspace.fs.createDirectory(workspaceFile('created'));
    const seen: Array<string | undefined> = [];
    await writeTextFile({ sessionId: 's', path: uri.fsPath, content: 'new\n' }, { ...noReview, beforeWrite: (_path, before) => seen.push(before) });
    assert.deepEqual(seen, [undefined]);
    assert.equal(readFileSync(uri.fsPath, 'utf8'), 'new\n');
  });
});
