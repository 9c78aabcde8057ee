// grep: regex search over workspace text files, skipping what git ignores and what is binary.
import { open, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import * as z from 'zod/v4';
import { plural } from './file-text';
import { displayPath } from './paths';
import { ToolError, type ToolContext, type ToolDefinition, type ToolResult } from './types';
import { listFiles, resolveSearchScope } from './workspace-walk';

export const GREP_MATCH_LIMIT = 200;
export const GREP_MAX_FILE_BYTES = 1024 * 1024;
const LINE_CHARS = 300;
/** Files read at once: enough to hide disk latency, few enough to stop soon after the cap. */
const PARALLEL_READS = 16;

const input = z.object({
  pattern: z.string().describe('JavaScript regex'),
  path: z.string().optional().describe('File or directory (default: workspace root)'),
  glob: z.string().optional().describe('File filter, e.g. *.ts'),
  ignore_case: z.boolean().optional(),
});
type GrepArgs = z.infer<typeof input>;

type FileScan = { kind: 'text'; lines: string[] } | { kind: 'binary' } | { kind: 'large' } | { kind: 'unreadable' };

function compile(pattern: string, ignoreCase: boolean): RegExp {
  try {
    return new RegExp(pattern, ignoreCase ? 'i' : '');
  } catch (error) {
    throw new ToolError(`invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`);
  }
}

/** A bare `*.ts` filters by file name at any depth, as in ripgrep; patterns with a slash are paths. */
function filePatterns(glob: string | undefined): string[] {
  if (glob === undefined || glob.trim() === '') return ['**'];
  if (isAbsolute(glob) || glob.split('/').includes('..')) throw new ToolError(`glob "${glob}" must be relative; set path to search elsewhere`);
  return [glob.includes('/') ? glob : `**/${glob}`];
}

async function scanFile(abs: string): Promise<FileScan> {
  try {
    if ((await stat(abs)).size > GREP_MAX_FILE_BYTES) return { kind: 'large' };
    const handle = await open(abs, 'r');
    const content = await handle.readFile().finally(() => handle.close());
    // Git's own test for binary content: a NUL byte near the start.
    if (content.subarray(0, 8000).includes(0)) return { kind: 'binary' };
    return { kind: 'text', lines: content.toString('utf8').split('\n') };
  } catch {
    return { kind: 'unreadable' };
  }
}

/** The line around the match, cut to LINE_CHARS so a minified file cannot flood the output. */
function excerpt(line: string, matchAt: number): string {
  const text = line.replace(/\r$/, '');
  if (text.length <= LINE_CHARS) return text;
  const start = Math.max(0, Math.min(matchAt - 100, text.length - LINE_CHARS));
  return `${start > 0 ? '…' : ''}${text.slice(start, start + LINE_CHARS)}${start + LINE_CHARS < text.length ? '…' : ''}`;
}

interface Search {
  regex: RegExp;
  cwd: string;
  matches: string[];
  /** Matches past the cap, counted only within files already being read. */
  overflow: boolean;
  skippedLarge: number;
}

function collect(search: Search, abs: string, lines: string[]): void {
  const shown = displayPath(abs, search.cwd);
  for (const [index, line] of lines.entries()) {
    const found = search.regex.exec(line);
    if (!found) continue;
    if (search.matches.length >= GREP_MATCH_LIMIT) {
      search.overflow = true;
      return;
    }
    search.matches.push(`${shown}:${index + 1}: ${excerpt(line, found.index)}`);
  }
}

async function searchFiles(search: Search, files: string[], signal: AbortSignal): Promise<void> {
  for (let start = 0; start < files.length && !search.overflow; start += PARALLEL_READS) {
    signal.throwIfAborted();
    const batch = files.slice(start, start + PARALLEL_READS);
    const scans = await Promise.all(batch.map(scanFile));
    for (const [index, scan] of scans.entries()) {
      if (scan.kind === 'large') search.skippedLarge++;
      if (scan.kind === 'text' && !search.overflow) collect(search, batch[index] ?? '', scan.lines);
    }
  }
}

function summarize(search: Search, args: GrepArgs, fileCount: number): string {
  const skipped = search.skippedLarge > 0 ? ` (${plural(search.skippedLarge, 'file')} over 1 MiB skipped)` : '';
  if (search.matches.length === 0) return `No matches for ${JSON.stringify(args.pattern)} in ${plural(fileCount, 'file')}${skipped}.`;
  const lines = [...search.matches];
  if (search.overflow) lines.push(`[... stopped at ${GREP_MATCH_LIMIT} matches; narrow the pattern, path or glob ...]`);
  if (skipped) lines.push(`[${skipped.slice(2, -1)}]`);
  return lines.join('\n');
}

async function grepTool(args: GrepArgs, ctx: ToolContext): Promise<ToolResult> {
  const regex = compile(args.pattern, args.ignore_case === true);
  const patterns = filePatterns(args.glob);
  const scope = await resolveSearchScope(args.path, ctx);
  const files = scope.isFile
    ? [scope.base]
    : await listFiles({ base: scope.base, rulesRoot: scope.rulesRoot, patterns, signal: ctx.signal });
  const search: Search = { regex, cwd: ctx.cwd, matches: [], overflow: false, skippedLarge: 0 };
  await searchFiles(search, files, ctx.signal);
  return { output: summarize(search, args, files.length) };
}

export const grep: ToolDefinition<GrepArgs> = {
  name: 'grep',
  description: 'Search file contents with a regex; prints path:line: text. Skips gitignored and binary files.',
  input,
  kind: 'search',
  access: 'read',
  title: (args) => `Search ${JSON.stringify(args.pattern)}${args.path ? ` in ${args.path}` : ''}`,
  run: grepTool,
};
