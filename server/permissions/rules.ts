// Saved permission rules as data, and how they decide a call. Tiers rank session < project < user:
// the highest tier with a matching rule decides, and within that tier a deny beats an allow.
import { createHash } from 'node:crypto';
import picomatch from 'picomatch';

export type RuleTier = 'session' | 'project' | 'user';
export const TIERS: readonly RuleTier[] = ['session', 'project', 'user'];

export type Decision = 'allow' | 'deny';

export interface Rule {
  tool: string;
  /** A glob on the workspace-relative path, or a command pattern for shell; absent: every call. */
  pattern?: string;
  decision: Decision;
}

export interface TieredRule extends Rule {
  id: string;
  tier: RuleTier;
  /** Session rules hold the exact command approved, even one ending in `*`. */
  exact?: boolean;
}

/**
 * What a call is matched on: the command for shell, the workspace-relative path for file tools.
 * `undefined` when the call has none (or its path is outside the workspace): only rules
 * without a pattern match it then.
 */
export type Subject = { kind: 'command'; command: string } | { kind: 'path'; path: string } | undefined;

/** A stable id for a rule: the same rule in the same tier always gets the same id. */
export function ruleId(tier: RuleTier, rule: Rule): string {
  const digest = createHash('sha256').update(JSON.stringify([rule.tool, rule.pattern ?? null, rule.decision])).digest('hex');
  return `${tier}-${digest.slice(0, 12)}`;
}

// A wildcard must not stretch over a second command: `npm test *` must not allow `npm test && rm -rf ~`.
const SHELL_CONTROL = /[;&|`$<>()\n\r]/;

/**
 * Shell patterns: only a trailing `*` is a wildcard. `npm test *` matches `npm test` and
 * `npm test <args>`; `npm t*` matches any command starting `npm t`; no `*` means the exact command.
 * For allow rules the part matched by `*` may hold no shell control characters.
 */
export function commandMatches(pattern: string, command: string, decision: Decision): boolean {
  const cmd = command.trim();
  if (!pattern.endsWith('*')) return cmd === pattern.trim();
  const spaced = pattern.endsWith(' *');
  const prefix = pattern.slice(0, spaced ? -2 : -1);
  if (spaced && cmd === prefix.trim()) return true;
  const head = spaced ? `${prefix} ` : prefix;
  if (!cmd.startsWith(head)) return false;
  return decision === 'deny' || !SHELL_CONTROL.test(cmd.slice(head.length));
}

const globCache = new Map<string, (path: string) => boolean>();

function globMatches(pattern: string, path: string): boolean {
  let matcher = globCache.get(pattern);
  if (!matcher) {
    matcher = picomatch(pattern, { dot: true });
    globCache.set(pattern, matcher);
  }
  return matcher(path);
}

export function ruleMatches(rule: Rule & { exact?: boolean }, tool: string, subject: Subject): boolean {
  if (rule.tool !== tool) return false;
  if (rule.pattern === undefined) return true;
  if (!subject) return false;
  if (subject.kind === 'path') return globMatches(rule.pattern, subject.path);
  return rule.exact ? subject.command === rule.pattern : commandMatches(rule.pattern, subject.command, rule.decision);
}

export interface RuleVerdict {
  decision: Decision;
  rule: TieredRule;
}

/** The decision of the highest tier holding a matching rule; deny wins within a tier. */
export function decide(rules: readonly TieredRule[], tool: string, subject: Subject): RuleVerdict | undefined {
  for (const tier of [...TIERS].reverse()) {
    const matching = rules.filter((rule) => rule.tier === tier && ruleMatches(rule, tool, subject));
    const winner = matching.find((rule) => rule.decision === 'deny') ?? matching[0];
    if (winner) return { decision: winner.decision, rule: winner };
  }
  return undefined;
}

export function describeRule(rule: Rule): string {
  if (rule.pattern === undefined) return `every ${rule.tool} call`;
  if (rule.tool === 'shell') return `\`${rule.pattern}\``;
  if (rule.tool === 'network') return `network access for \`${rule.pattern}\``;
  return `${rule.tool} on ${rule.pattern}`;
}
