// Reading and replacing whole files the way the editor sees them: open documents win over the
// disk (their unsaved text is what the user sees), and every write is a WorkspaceEdit, so it
// lands in the undo stack and never clobbers a dirty buffer behind the user's back.
import * as vscode from 'vscode';

/** The text the user sees: the open document's (even unsaved), else the file on disk; undefined if neither exists. */
export async function readEditorText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return undefined;
    throw error;
  }
}

/**
 * Replaces the whole text of `uri` through one WorkspaceEdit (creating the file if needed) and
 * saves it, so tools that read the disk (tests, compilers) see what the agent and the user see.
 */
export async function replaceEditorText(uri: vscode.Uri, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  const exists = (await readEditorText(uri)) !== undefined;
  if (!exists) {
    edit.createFile(uri, { ignoreIfExists: true });
    edit.insert(uri, new vscode.Position(0, 0), text);
  } else {
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.getText() === text) return;
    const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
    edit.replace(uri, whole, text);
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused the edit to ${uri.fsPath}`);
  const document = await vscode.workspace.openTextDocument(uri);
  if (document.isDirty && !(await document.save())) throw new Error(`could not save ${uri.fsPath}`);
}
