// edit_file: replaces an exact piece of text in a file, refusing anything ambiguous.
import { resolve } from 'node:path';
import * as z from 'zod/v4';
import { notFoundHint } from './edit-hints';
import { lineAt, plural, readTextForTool } from './file-text';
import { displayPath, resolveToolPath } from './paths';
import { ToolError, type ToolContext, type ToolDefinition, type ToolResult } from './types';

const input = z.object({
  path: z.string().describe('File path'),
  old_text: z.string().describe('Exact text to replace, unique in the file'),
  new_text: z.string().describe('Replacement text'),
  replace_all: z.boolean().optional().describe('Replace every occurrence'),
});
type EditArgs = z.infer<typeof input>;

interface Replacement {
  find: string;
  replaceWith: string;
  count: number;
}

function occurrences(text: string, find: string): number {
  return text.split(find).length - 1;
}

/** The strings to use, adapted to CRLF files when the model wrote plain newlines. */
function planReplacement(text: string, oldText: string, newText: string): Replacement {
  const count = occurrences(text, oldText);
  if (count > 0 || !text.includes('\r\n') || oldText.includes('\r')) return { find: oldText, replaceWith: newText, count };
  const find = oldText.replace(/\n/g, '\r\n');
  return { find, replaceWith: newText.replace(/\r?\n/g, '\r\n'), count: occurrences(text, find) };
}

function checkArgs(args: EditArgs): void {
  if (args.old_text === '') throw new ToolError('old_text is empty; to create a file use write_file');
  if (args.old_text === args.new_text) throw new ToolError('old_text and new_text are identical; nothing would change');
}

function applyReplacement(text: string, plan: Replacement, all: boolean): string {
  if (all) return text.split(plan.find).join(plan.replaceWith);
  const at = text.indexOf(plan.find);
  return text.slice(0, at) + plan.replaceWith + text.slice(at + plan.find.length);
}

async function editFileTool(args: EditArgs, ctx: ToolContext): Promise<ToolResult> {
  checkArgs(args);
  const abs = await resolveToolPath(args.path, ctx, 'write');
  const shown = displayPath(abs, ctx.cwd);
  const text = await readTextForTool(ctx.files, abs, shown, '; use write_file to create a new file');
  const plan = planReplacement(text, args.old_text, args.new_text);
  if (plan.count === 0) throw new ToolError(`old_text was not found in ${shown}. ${notFoundHint(text, args.old_text)}`);
  if (plan.count > 1 && !args.replace_all) {
    throw new ToolError(
      `old_text occurs ${plan.count} times in ${shown}; include more surrounding lines to make it unique, or set replace_all to change every occurrence`,
    );
  }
  const newText = applyReplacement(text, plan, args.replace_all === true);
  try {
    await ctx.files.writeText(abs, newText);
  } catch (error) {
    throw new ToolError(`cannot write ${shown}: ${(error as Error).message}`);
  }
  const line = lineAt(text, text.indexOf(plan.find));
  return {
    output: `Edited ${shown}: replaced ${plural(plan.count, 'occurrence')}, first at line ${line}.`,
    display: [{ type: 'diff', path: abs, oldText: text, newText }],
    locations: [{ path: abs, line }],
  };
}

export const editFile: ToolDefinition<EditArgs> = {
  name: 'edit_file',
  description: 'Replace exact text in a file. old_text must match once (copy it from read_file, without line numbers) unless replace_all.',
  input,
  kind: 'edit',
  access: 'edit',
  title: (args) => `Edit ${args.path}`,
  locations: (args, cwd) => [{ path: resolve(cwd, args.path) }],
  run: editFileTool,
};
