// glob: finds files by name pattern, the way the developer's git sees the tree.
import { isAbsolute } from 'node:path';
import * as z from 'zod/v4';
import { displayPath } from './paths';
import { plural } from './file-text';
import { ToolError, type ToolContext, type ToolDefinition, type ToolResult } from './types';
import { listFiles, resolveSearchScope } from './workspace-walk';

export const GLOB_RESULT_LIMIT = 500;

const input = z.object({
  pattern: z.string().describe('Glob, e.g. **/*.ts'),
  path: z.string().optional().describe('Directory to search (default: workspace root)'),
});
type GlobArgs = z.infer<typeof input>;

function checkPattern(pattern: string): void {
  if (pattern.trim() === '') throw new ToolError('pattern is empty; try **/*.ts');
  if (isAbsolute(pattern) || pattern.split('/').includes('..')) {
    throw new ToolError(`pattern "${pattern}" must be relative and stay inside the search directory; set path to search elsewhere`);
  }
}

async function globTool(args: GlobArgs, ctx: ToolContext): Promise<ToolResult> {
  checkPattern(args.pattern);
  const scope = await resolveSearchScope(args.path, ctx);
  if (scope.isFile) throw new ToolError(`path "${args.path}" is a file; give a directory`);
  const files = await listFiles({ base: scope.base, rulesRoot: scope.rulesRoot, patterns: [args.pattern], signal: ctx.signal });
  const where = args.path ? ` in ${displayPath(scope.base, ctx.cwd)}` : '';
  if (files.length === 0) return { output: `No files match ${args.pattern}${where}.` };
  const shown = files.slice(0, GLOB_RESULT_LIMIT).map((file) => displayPath(file, ctx.cwd));
  if (files.length > GLOB_RESULT_LIMIT) {
    shown.push(`[... ${plural(files.length - GLOB_RESULT_LIMIT, 'more file')} not shown; narrow the pattern or path ...]`);
  }
  return { output: shown.join('\n') };
}

export const globFiles: ToolDefinition<GlobArgs> = {
  name: 'glob',
  description: 'List files matching a glob pattern, skipping gitignored files.',
  input,
  kind: 'search',
  access: 'read',
  title: (args) => (args.path ? `Find ${args.pattern} in ${args.path}` : `Find ${args.pattern}`),
  run: globTool,
};
