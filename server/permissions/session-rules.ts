// "Always" answers to permission prompts, held for the session. A rule's scope is the tool
// for edits, and the exact command for shell, so approving `npm test` never approves `rm -rf`.
import { ruleId, type TieredRule } from './rules';

export type RuleDecision = 'allow' | 'reject';

export interface PermissionRule {
  scope: string;
  decision: RuleDecision;
}

/** Tools whose rules name one exact command: running it, or letting it use the network. */
const COMMAND_TOOLS = new Set(['shell', 'network']);

export function ruleScope(toolName: string, args: unknown): string {
  if (COMMAND_TOOLS.has(toolName) && args && typeof args === 'object' && 'command' in args) {
    return `${toolName}:${String((args as { command: unknown }).command)}`;
  }
  return toolName;
}

/** Splits a scope into its tool and, for command tools, the exact command. */
function splitScope(scope: string): { tool: string; command?: string } {
  const colon = scope.indexOf(':');
  const tool = colon > 0 ? scope.slice(0, colon) : scope;
  return COMMAND_TOOLS.has(tool) ? { tool, command: scope.slice(colon + 1) } : { tool: scope };
}

export function describeScope(scope: string): string {
  const { tool, command } = splitScope(scope);
  if (command === undefined) return scope;
  return tool === 'network' ? `network access for \`${command}\`` : `the command \`${command}\``;
}

export class SessionRules {
  private readonly rules = new Map<string, RuleDecision>();

  constructor(initial: Iterable<PermissionRule> = []) {
    for (const rule of initial) this.rules.set(rule.scope, rule.decision);
  }

  lookup(scope: string): RuleDecision | undefined {
    return this.rules.get(scope);
  }

  record(rule: PermissionRule): void {
    this.rules.set(rule.scope, rule.decision);
  }

  list(): PermissionRule[] {
    return [...this.rules].map(([scope, decision]) => ({ scope, decision }));
  }

  /** The session tier of the rule tiers; a shell rule matches its command exactly. */
  tiered(): TieredRule[] {
    return this.list().map(({ scope, decision }) => {
      const { tool, command } = splitScope(scope);
      const rule = { tool, pattern: command, decision: decision === 'allow' ? ('allow' as const) : ('deny' as const) };
      return { ...rule, id: ruleId('session', rule), tier: 'session' as const, exact: command !== undefined || undefined };
    });
  }

  /** Forgets the rule with this id (see tiered()); returns its scope, or undefined when there is none. */
  removeById(id: string): string | undefined {
    const found = this.tiered().find((rule) => rule.id === id);
    if (!found) return undefined;
    const scope = found.exact ? `${found.tool}:${found.pattern}` : found.tool;
    return this.rules.delete(scope) ? scope : undefined;
  }
}
