// One permissions.json under TETHER_HOME: read once and cached until the file changes on disk,
// written whole through a temp file and a rename so a reader never sees half a file.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod/v4';
import type { Rule } from './rules';

const storedRule = z.object({
  tool: z.string().min(1),
  pattern: z.string().min(1).optional(),
  decision: z.enum(['allow', 'deny']),
  addedAt: z.string(),
});

const fileSchema = z.object({ version: z.literal(1), rules: z.array(storedRule) });

export type StoredRule = z.infer<typeof storedRule>;
type RulesFile = z.infer<typeof fileSchema>;

interface Cached {
  /** mtime, size and inode: a rename always brings a new inode, so a rewrite is never missed. */
  stamp: string;
  rules: StoredRule[];
}

// Shared by every session manager in the process, keyed by file path.
const cache = new Map<string, Cached>();

function stampOf(path: string): string | undefined {
  try {
    const stats = statSync(path);
    return `${stats.mtimeMs}:${stats.size}:${stats.ino}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The rules in `path`; [] when there is no file. Throws when the file is unreadable or malformed. */
export function readRules(path: string): StoredRule[] {
  const stamp = stampOf(path);
  if (stamp === undefined) return [];
  const cached = cache.get(path);
  if (cached?.stamp === stamp) return cached.rules;
  let parsed: RulesFile;
  try {
    parsed = fileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new Error(`cannot read permission rules from ${path}: ${(error as Error).message}`, { cause: error });
  }
  cache.set(path, { stamp, rules: parsed.rules });
  return parsed.rules;
}

function writeRules(path: string, rules: StoredRule[]): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const body: RulesFile = { version: 1, rules };
  try {
    writeFileSync(temp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  const stamp = stampOf(path);
  if (stamp !== undefined) cache.set(path, { stamp, rules });
}

const sameRule = (a: Rule, b: Rule) => a.tool === b.tool && a.pattern === b.pattern && a.decision === b.decision;

/** Adds `rule` unless the file already holds it. */
export function addRule(path: string, rule: Rule, now = new Date()): void {
  const rules = readRules(path);
  if (rules.some((existing) => sameRule(existing, rule))) return;
  const stored: StoredRule = { tool: rule.tool, ...(rule.pattern === undefined ? {} : { pattern: rule.pattern }), decision: rule.decision, addedAt: now.toISOString() };
  writeRules(path, [...rules, stored]);
}

/** Removes the rules `matches` selects; returns how many were removed. */
export function removeRules(path: string, matches: (rule: StoredRule) => boolean): number {
  const rules = readRules(path);
  const kept = rules.filter((rule) => !matches(rule));
  if (kept.length !== rules.length) writeRules(path, kept);
  return rules.length - kept.length;
}
