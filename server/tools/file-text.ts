// Small text helpers the file tools share: reading with errors the model can act on, and
// line arithmetic.
import type { FileAccess } from './types';
import { ToolError } from './types';

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Reads a file through `files`, turning failures into ToolErrors that name the path. */
export async function readTextForTool(files: FileAccess, abs: string, shown: string, missingHint = ''): Promise<string> {
  try {
    return await files.readText(abs);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') throw new ToolError(`file not found: ${shown}${missingHint}`);
    if (code === 'EISDIR') throw new ToolError(`${shown} is a directory, not a file; use glob to list its files`);
    if (code === 'EACCES' || code === 'EPERM') throw new ToolError(`permission denied reading ${shown}`);
    throw new ToolError(`cannot read ${shown}: ${(error as Error).message}`);
  }
}

/** Lines of `text` as an editor numbers them: a final newline does not start another line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function countLines(text: string): number {
  return splitLines(text).length;
}

/** 1-based line number of the character at `index`. */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
