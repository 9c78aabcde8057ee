// "Always" answers to permission prompts, held for the session. A rule's scope is the tool
// for edits, and the exact command for shell, so approving `npm test` never approves `rm -rf`.
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
}
