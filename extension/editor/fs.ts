// fs/read_text_file and fs/write_text_file as the editor sees files: reads return unsaved
// buffer text; writes go through a WorkspaceEdit (undoable) after the review keeps a baseline.
import type * as acp from '@agentclientprotocol/sdk';
import * as vscode from 'vscode';
import { readEditorText, replaceEditorText } from './documents';

export interface WriteObserver {
  /** Told the text a file had before the agent's write (undefined: it did not exist). */
  beforeWrite(path: string, before: string | undefined): void;
  afterWrite(path: string): void;
}

export async function readTextFile(params: acp.ReadTextFileRequest): Promise<acp.ReadTextFileResponse> {
  const text = await readEditorText(vscode.Uri.file(params.path));
  if (text === undefined) throw notFound(params.path);
  return { content: sliceLines(text, params.line ?? undefined, params.limit ?? undefined) };
}

export async function writeTextFile(params: acp.WriteTextFileRequest, observer: WriteObserver): Promise<acp.WriteTextFileResponse> {
  const uri = vscode.Uri.file(params.path);
  observer.beforeWrite(params.path, await readEditorText(uri));
  await replaceEditorText(uri, params.content);
  observer.afterWrite(params.path);
  return {};
}

/** ACP lines are 1-based; `limit` counts lines from there. */
export function sliceLines(text: string, line: number | undefined, limit: number | undefined): string {
  if (line === undefined && limit === undefined) return text;
  const lines = text.split('\n');
  const start = Math.max(0, (line ?? 1) - 1);
  const end = limit === undefined ? lines.length : start + limit;
  return lines.slice(start, end).join('\n');
}

function notFound(path: string): Error & { code: number; data: unknown } {
  // JSON-RPC "resource not found" (ACP's code), so the agent reports a missing file, not a crash.
  return Object.assign(new Error(`File not found: ${path}`), { code: -32002, data: { path } });
}
