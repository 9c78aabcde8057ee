// Turns a path the model wrote into a real absolute path inside the workspace, or refuses.
// Symlinks are resolved before the containment check, so a link cannot smuggle a tool outside.
import { realpathSync, statSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ToolError } from './types';

export interface WorkspaceRoots {
  cwd: string;
  additionalDirectories: string[];
}

export type PathPurpose = 'read' | 'write';

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Whether `target` is `root` itself or lies below it (both absolute, normalized). */
export function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

// Resolution is a few syscalls: done synchronously it costs microseconds, where a round trip
// through the thread pool costs about a millisecond on every tool call.
const realpath = (path: string): string => realpathSync.native(path);

async function realRoot(root: string): Promise<string> {
  try {
    return realpath(root);
  } catch {
    // A root that vanished still bounds the check by its spelled path.
    return resolve(root);
  }
}

/**
 * Real path of `abs`: of the path itself when it exists, otherwise of its deepest existing
 * ancestor with the missing segments appended (a file about to be created).
 */
async function realPathOf(abs: string, input: string): Promise<string> {
  const missing: string[] = [];
  let current = abs;
  for (;;) {
    try {
      const real = realpath(current);
      return missing.length === 0 ? real : join(real, ...missing.reverse());
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ELOOP') throw new ToolError(`path "${input}" is a symbolic link loop`);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new ToolError(`cannot resolve path "${input}": ${(error as Error).message}`);
      await refuseDanglingLink(current, input);
      const parent = dirname(current);
      if (parent === current) return abs;
      missing.push(basename(current));
      current = parent;
    }
  }
}

// realpath fails on a link whose target is missing; writing through it would create the
// target wherever it points, unchecked.
async function refuseDanglingLink(path: string, input: string): Promise<void> {
  const stats = await lstat(path).catch(() => null);
  if (stats?.isSymbolicLink()) throw new ToolError(`path "${input}" is a broken symbolic link`);
}

function outsideMessage(input: string, roots: string[]): string {
  const [workspace, ...extra] = roots;
  const also = extra.length > 0 ? ` (or the additional directories ${extra.join(', ')})` : '';
  return `path "${input}" is outside the workspace ${workspace}${also}; tools may only touch files inside it`;
}

/**
 * Resolves a tool's path argument to an absolute real path inside the workspace or one of the
 * additional directories. Relative paths start at the workspace root. Throws ToolError when the
 * path leaves them, or when a write targets git's internals.
 */
export async function resolveToolPath(input: string, ctx: WorkspaceRoots, purpose: PathPurpose): Promise<string> {
  const trimmed = input.trim();
  if (trimmed === '') throw new ToolError('path is empty; give a file path relative to the workspace root');
  if (trimmed.includes('\0')) throw new ToolError(`path "${input}" contains a NUL character`);
  const roots = await Promise.all([ctx.cwd, ...ctx.additionalDirectories].map(realRoot));
  const real = await realPathOf(resolve(roots[0] ?? ctx.cwd, trimmed), input);
  const root = roots.find((candidate) => isInside(candidate, real));
  if (root === undefined) throw new ToolError(outsideMessage(input, roots));
  if (purpose === 'write' && relative(root, real).split(sep).includes('.git')) {
    throw new ToolError(`path "${input}" is inside .git; tools may not write git's internal files`);
  }
  if (purpose === 'write') refuseHardlinked(real, input);
  return real;
}

/**
 * A file with other hard links may share its contents with a file outside the workspace, and
 * realpath cannot tell: writing through it would change that file too.
 */
function refuseHardlinked(real: string, input: string): void {
  let links: number;
  try {
    const stats = statSync(real);
    if (!stats.isFile()) return; // Directories always have several links; other checks handle them.
    links = stats.nlink;
  } catch {
    return; // Not there yet: a new file has no other links.
  }
  if (links > 1) throw new ToolError(`path "${input}" has ${links} hard links, so it may be a file outside the workspace too; tools do not write through hard links`);
}

/** The real workspace root (cwd or additional directory) that contains the real path `abs`. */
export async function containingRoot(abs: string, ctx: WorkspaceRoots): Promise<string | undefined> {
  const roots = await Promise.all([ctx.cwd, ...ctx.additionalDirectories].map(realRoot));
  return roots.find((root) => isInside(root, abs));
}

/** Workspace-relative form of an absolute path for messages; absolute when outside the workspace. */
export function displayPath(abs: string, cwd: string): string {
  if (!isInside(cwd, abs)) return abs;
  return relative(cwd, abs) || '.';
}
