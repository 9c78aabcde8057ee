// Lists workspace files the way a developer sees them: .gitignore rules (the root's and nested
// ones) apply, `.git` is never entered. Ignored directories are pruned while crawling, through
// tinyglobby's `fs` override, so a huge node_modules costs one readdir instead of a full walk.
import { readFile, stat } from 'node:fs/promises';
import * as nodeFs from 'node:fs';
import type { Dirent } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { glob } from 'tinyglobby';
import { containingRoot, isInside, resolveToolPath, type WorkspaceRoots } from './paths';
import { ToolError } from './types';

/** .gitignore rules of one tree, loaded lazily, one file per directory. */
export class GitignoreRules {
  private readonly perDir = new Map<string, Promise<Ignore | null>>();

  constructor(readonly root: string) {}

  private rulesOf(dir: string): Promise<Ignore | null> {
    let rules = this.perDir.get(dir);
    if (!rules) {
      rules = readFile(join(dir, '.gitignore'), 'utf8').then(
        (text) => ignore().add(text),
        () => null,
      );
      this.perDir.set(dir, rules);
    }
    return rules;
  }

  /** Whether git would ignore `abs`; deeper .gitignore files override shallower ones. */
  async isIgnored(abs: string, isDirectory: boolean): Promise<boolean> {
    if (!isInside(this.root, abs) || abs === this.root) return false;
    const chain: string[] = [];
    for (let dir = dirname(abs); isInside(this.root, dir); dir = dirname(dir)) {
      chain.unshift(dir);
      if (dir === this.root) break;
    }
    let ignored = false;
    for (const dir of chain) {
      const rules = await this.rulesOf(dir);
      if (!rules) continue;
      const result = rules.test(relative(dir, abs) + (isDirectory ? '/' : ''));
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }
}

/** The nearest directory at or above `start` that holds a `.git` entry, if any. */
export async function findRepoRoot(start: string): Promise<string | undefined> {
  for (let dir = start; ; dir = dirname(dir)) {
    if (await stat(join(dir, '.git')).then(() => true, () => false)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

async function visibleEntries(dir: string, entries: Dirent[], rules: GitignoreRules): Promise<Dirent[]> {
  const checks = entries.map(async (entry) => {
    if (entry.name === '.git') return false;
    return !(await rules.isIgnored(join(dir, entry.name), entry.isDirectory()));
  });
  const visible = await Promise.all(checks);
  return entries.filter((_, index) => visible[index]);
}

type ReaddirCallback = (error: NodeJS.ErrnoException | null, entries?: Dirent[]) => void;

// A readdir that hides ignored entries; the crawler never descends into what it cannot see.
function ignoringReaddir(rules: GitignoreRules): typeof nodeFs.readdir {
  const filtered = (path: string, options: { withFileTypes: true }, callback: ReaddirCallback): void => {
    nodeFs.readdir(path, options, (error, entries) => {
      if (error) return callback(error);
      visibleEntries(resolve(path), entries, rules).then(
        (kept) => callback(null, kept),
        (failure: NodeJS.ErrnoException) => callback(failure),
      );
    });
  };
  return filtered as unknown as typeof nodeFs.readdir;
}

export interface ListFilesOptions {
  /** Absolute real directory to search in; patterns are relative to it. */
  base: string;
  /** Where .gitignore rules start applying (see resolveSearchScope). */
  rulesRoot: string;
  patterns: string[];
  signal?: AbortSignal;
}

/** Absolute paths of the regular files under `base` matching `patterns`, sorted, ignores applied. */
export async function listFiles(options: ListFilesOptions): Promise<string[]> {
  const rules = new GitignoreRules(options.rulesRoot);
  // The base itself may sit in an ignored directory the user pointed at on purpose: then only
  // rules below it apply, as when searching a directory of its own.
  const baseRules = (await rules.isIgnored(options.base, true)) ? new GitignoreRules(options.base) : rules;
  const found = await glob(options.patterns, {
    cwd: options.base,
    absolute: true,
    dot: true,
    onlyFiles: true,
    followSymbolicLinks: false,
    fs: { readdir: ignoringReaddir(baseRules) },
    signal: options.signal,
  });
  // tinyglobby stops quietly on abort; a partial list must not pass for a complete one.
  options.signal?.throwIfAborted();
  return found.sort();
}

export interface SearchScope {
  /** Absolute real path searched: a directory, or a single file when `isFile`. */
  base: string;
  isFile: boolean;
  rulesRoot: string;
}

/** Where glob and grep search: the `path` argument (a directory or a file), else the workspace root. */
export async function resolveSearchScope(pathArg: string | undefined, ctx: WorkspaceRoots): Promise<SearchScope> {
  const base = await resolveToolPath(pathArg ?? '.', ctx, 'read');
  const stats = await stat(base).catch(() => null);
  if (!stats) throw new ToolError(`path "${pathArg}" does not exist`);
  const root = (await containingRoot(base, ctx)) ?? base;
  // The enclosing repository's .gitignore files apply, even those above the workspace root.
  const rulesRoot = (await findRepoRoot(base)) ?? root;
  return { base, isFile: !stats.isDirectory(), rulesRoot };
}
