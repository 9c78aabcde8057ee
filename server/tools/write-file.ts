// write_file: creates or replaces a whole file, showing the user a diff against what was there.
import { mkdir, readFile as readDiskFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import * as z from 'zod/v4';
import { countLines, plural } from './file-text';
import { displayPath, resolveToolPath } from './paths';
import { ToolError, type ToolContext, type ToolDefinition, type ToolResult } from './types';

const input = z.object({
  path: z.string().describe('File path'),
  content: z.string().describe('Full new content'),
});
type WriteArgs = z.infer<typeof input>;

/** The file's current text on disk, or null when it does not exist yet. */
async function currentText(abs: string, shown: string): Promise<string | null> {
  try {
    return await readDiskFile(abs, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EISDIR') throw new ToolError(`${shown} is a directory; give a file path`);
    throw new ToolError(`cannot read ${shown} before writing it: ${(error as Error).message}`);
  }
}

async function writeFileTool(args: WriteArgs, ctx: ToolContext): Promise<ToolResult> {
  const abs = await resolveToolPath(args.path, ctx, 'write');
  const shown = displayPath(abs, ctx.cwd);
  const oldText = await currentText(abs, shown);
  try {
    // The editor may only write into existing directories.
    if (oldText === null) await mkdir(dirname(abs), { recursive: true });
    await ctx.files.writeText(abs, args.content);
  } catch (error) {
    throw new ToolError(`cannot write ${shown}: ${(error as Error).message}`);
  }
  const verb = oldText === null ? 'Created' : 'Overwrote';
  return {
    output: `${verb} ${shown} (${plural(countLines(args.content), 'line')}).`,
    display: [{ type: 'diff', path: abs, oldText, newText: args.content }],
    locations: [{ path: abs }],
  };
}

export const writeFile: ToolDefinition<WriteArgs> = {
  name: 'write_file',
  description: 'Create a file or replace all of its content. Prefer edit_file for changes to existing files.',
  input,
  kind: 'edit',
  access: 'edit',
  title: (args) => `Write ${args.path}`,
  locations: (args, cwd) => [{ path: resolve(cwd, args.path) }],
  run: writeFileTool,
};
