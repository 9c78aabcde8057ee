// read_file: numbered lines of a text file, through the editor when it has the file open.
import { resolve } from 'node:path';
import * as z from 'zod/v4';
import { readTextForTool, splitLines } from './file-text';
import { displayPath, resolveToolPath } from './paths';
import { cutLine } from './truncate';
import { ToolError, type ToolContext, type ToolDefinition, type ToolResult } from './types';

export const DEFAULT_READ_LINES = 2000;
/** Kept under the agent loop's 64 KiB result cap so this tool's own hint is never cut away. */
export const READ_OUTPUT_LIMIT_BYTES = 60 * 1024;
const MAX_LINE_CHARS = 2000;

const input = z.object({
  path: z.string().describe('File path'),
  offset: z.number().int().min(1).optional().describe('First line, 1-based'),
  limit: z.number().int().min(1).optional().describe(`Max lines (default ${DEFAULT_READ_LINES})`),
});
type ReadArgs = z.infer<typeof input>;

interface Numbered {
  text: string;
  /** Last line shown. */
  lastLine: number;
}

/** `cat -n` style lines from `first` (1-based), stopping at `limit` lines or the byte budget. */
function numberLines(lines: string[], first: number, limit: number): Numbered {
  const end = Math.min(lines.length, first - 1 + limit);
  const width = String(end).length;
  const out: string[] = [];
  let bytes = 0;
  let lastLine = first - 1;
  for (let index = first - 1; index < end; index++) {
    const line = `${String(index + 1).padStart(width)}\t${cutLine((lines[index] ?? '').replace(/\r$/, ''), MAX_LINE_CHARS)}`;
    bytes += Buffer.byteLength(line) + 1;
    if (bytes > READ_OUTPUT_LIMIT_BYTES && out.length > 0) break;
    out.push(line);
    lastLine = index + 1;
  }
  return { text: out.join('\n'), lastLine };
}

function continuationNote(shown: Numbered, first: number, total: number, cappedByBytes: boolean): string {
  if (shown.lastLine >= total) return '';
  const why = cappedByBytes ? `output capped at ${READ_OUTPUT_LIMIT_BYTES / 1024} KiB` : 'line limit reached';
  return `\n[... ${why}: showing lines ${first}-${shown.lastLine} of ${total}; use offset=${shown.lastLine + 1} to read more ...]`;
}

async function readFileTool(args: ReadArgs, ctx: ToolContext): Promise<ToolResult> {
  const abs = await resolveToolPath(args.path, ctx, 'read');
  const shown = displayPath(abs, ctx.cwd);
  const text = await readTextForTool(ctx.files, abs, shown);
  if (text.includes('\0')) throw new ToolError(`${shown} looks like a binary file; read_file only shows text`);
  const lines = splitLines(text);
  const first = args.offset ?? 1;
  const limit = args.limit ?? DEFAULT_READ_LINES;
  const locations = [{ path: abs, line: first }];
  if (lines.length === 0) return { output: `${shown} is empty.`, locations };
  if (first > lines.length) {
    throw new ToolError(`offset ${first} is past the end of ${shown}, which has ${lines.length} lines`);
  }
  const numbered = numberLines(lines, first, limit);
  const cappedByBytes = numbered.lastLine < Math.min(lines.length, first - 1 + limit);
  // The user sees a one-line summary and a link to the file, not the file again.
  const summary = `Read lines ${first}-${numbered.lastLine} of ${lines.length} in ${shown}`;
  return { output: numbered.text + continuationNote(numbered, first, lines.length, cappedByBytes), display: [{ type: 'text', text: summary }], locations };
}

export const readFile: ToolDefinition<ReadArgs> = {
  name: 'read_file',
  description: 'Read a text file; lines come numbered. Use offset and limit for large files.',
  input,
  kind: 'read',
  access: 'read',
  title: (args) => (args.offset ? `Read ${args.path} (from line ${args.offset})` : `Read ${args.path}`),
  locations: (args, cwd) => [{ path: resolve(cwd, args.path), line: args.offset ?? 1 }],
  run: readFileTool,
};
