// "Always" answers to permission prompts, held for the session. A rule's scope is the tool
// for edits, and the exact command for shell, so approving `npm test` never approves `rm -rf`.
import { ruleId, type TieredRule } from './rules';

export type RuleDecision = 'allow' | 'reject';

export interface PermissionRule {
  scope: string;
  decision: RuleDecision;
}

export function ruleScope(toolName: string, args: unknown): string {
  if (toolName === 'shell' && args && typeof args === 'object' && 'command' in args) {
    return `shell:${String((args as { command: unknown }).command)}`;
  }
  return toolName;
}

export function describeScope(scope: string): string {
  return scope.startsWith('shell:') ? `the command \`${scope.slice(6)}\`` : `${scope}`;
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
      const shell = scope.startsWith('shell:');
      const rule = { tool: shell ? 'shell' : scope, pattern: shell ? scope.slice(6) : undefined, decision: decision === 'allow' ? ('allow' as const) : ('deny' as const) };
      return { ...rule, id: ruleId('session', rule), tier: 'session' as const, exact: shell || undefined };
    });
  }

  /** Forgets the rule with this id (see tiered()); returns its scope, or undefined when there is none. */
  removeById(id: string): string | undefined {
    const found = this.tiered().find((rule) => rule.id === id);
    if (!found) return undefined;
    const scope = found.tool === 'shell' ? `shell:${found.pattern}` : found.tool;
    return this.rules.delete(scope) ? scope : undefined;
  }
}
