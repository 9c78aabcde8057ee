// Where a workspace's saved rules live, and how a call becomes something rules can match.
// Project rules are kept under TETHER_HOME, keyed by the workspace's real path, so Tether never
// writes into the user's workspace.
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { join, posix, relative, resolve, sep } from 'node:path';
import { resolveToolPath } from '../tools/paths';
import { addRule, readRules, removeRules } from './rule-file';
import { ruleId, type Rule, type Subject, type TieredRule } from './rules';

export interface RulePaths {
  user: string;
  project: string;
}

function realWorkspace(cwd: string): string {
  try {
    return realpathSync.native(cwd);
  } catch {
    return resolve(cwd);
  }
}

export function rulePaths(home: string, cwd: string): RulePaths {
  const key = createHash('sha256').update(realWorkspace(cwd)).digest('hex');
  return { user: join(home, 'permissions.json'), project: join(home, 'projects', key, 'permissions.json') };
}

/** Project and user rules; throws when either file is unreadable or malformed. */
export function savedRules(paths: RulePaths): TieredRule[] {
  const tier = (name: 'project' | 'user', path: string): TieredRule[] =>
    readRules(path).map(({ tool, pattern, decision }) => {
      const rule: Rule = { tool, pattern, decision };
      return { ...rule, id: ruleId(name, rule), tier: name };
    });
  return [...tier('project', paths.project), ...tier('user', paths.user)];
}

export function saveProjectRule(paths: RulePaths, rule: Rule): void {
  addRule(paths.project, rule);
}

/** Removes the saved rule with this id from its file; false when neither file holds it. */
export function revokeSaved(paths: RulePaths, id: string): boolean {
  const tier = id.startsWith('project-') ? 'project' : id.startsWith('user-') ? 'user' : undefined;
  if (!tier) return false;
  return removeRules(paths[tier], ({ tool, pattern, decision }) => ruleId(tier, { tool, pattern, decision }) === id) > 0;
}

/**
 * What rules match a call on: the command of a shell call, else the real path of a `path`
 * argument relative to the workspace (symlinks resolved, so a link cannot borrow a rule).
 */
export async function subjectOf(toolName: string, args: unknown, cwd: string): Promise<Subject> {
  const fields = (args && typeof args === 'object' ? args : {}) as { command?: unknown; path?: unknown };
  if (toolName === 'shell') return typeof fields.command === 'string' ? { kind: 'command', command: fields.command } : undefined;
  if (typeof fields.path !== 'string') return undefined;
  try {
    const real = await resolveToolPath(fields.path, { cwd, additionalDirectories: [] }, 'read');
    const rel = relative(realWorkspace(cwd), real);
    return { kind: 'path', path: rel === '' ? '.' : rel.split(sep).join('/') };
  } catch {
    return undefined; // Outside the workspace: no path pattern applies.
  }
}

const GLOB_SPECIAL = /[\\*?[\]{}()!+@]/g;

/**
 * The project rule "always for this project" would save: the exact command, or the file's
 * directory and everything below it. None when the call cannot be pinned down safely.
 */
export function projectSuggestion(toolName: string, subject: Subject): Rule | undefined {
  if (!subject) return undefined;
  if (subject.kind === 'command') {
    const command = subject.command.trim();
    // A trailing `*` would turn the exact command into a prefix pattern.
    if (command === '' || command.endsWith('*')) return undefined;
    return { tool: toolName, pattern: command, decision: 'allow' };
  }
  const dir = posix.dirname(subject.path);
  const pattern = dir === '.' ? '**' : `${dir.replace(GLOB_SPECIAL, '\\$&')}/**`;
  return { tool: toolName, pattern, decision: 'allow' };
}
