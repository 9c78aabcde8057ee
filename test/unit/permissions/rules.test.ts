import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandMatches, decide, ruleId, ruleMatches, type Rule, type RuleTier, type TieredRule } from '../../../server/permissions/rules';
import { ruleScope, SessionRules } from '../../../server/permissions/session-rules';

const tiered = (tier: RuleTier, rule: Rule): TieredRule => ({ ...rule, id: ruleId(tier, rule), tier });
const shell = (command: string) => ({ kind: 'command' as const, command });
const path = (p: string) => ({ kind: 'path' as const, path: p });

test('a shell pattern without * is the exact command', () => {
  assert.equal(commandMatches('npm test', 'npm test', 'allow'), true);
  assert.equal(commandMatches('npm test', '  npm test ', 'allow'), true);
  assert.equal(commandMatches('npm test', 'npm test --watch', 'allow'), false);
  assert.equal(commandMatches('npm test', 'npm testing', 'allow'), false);
});

test('a trailing " *" matches the command alone or with arguments, never a longer word', () => {
  assert.equal(commandMatches('npm test *', 'npm test', 'allow'), true);
  assert.equal(commandMatches('npm test *', 'npm test -- --grep x', 'allow'), true);
  assert.equal(commandMatches('npm test *', 'npm testing', 'allow'), false);
  assert.equal(commandMatches('npm t*', 'npm testing', 'allow'), true);
  assert.equal(commandMatches('npm t*', 'npx tsc', 'allow'), false);
});

test('an allow wildcard never stretches over a second command; a deny one does', () => {
  for (const tail of ['&& rm -rf ~', '; rm x', '| sh', '$(curl x)', '`id`', '> /etc/passwd', '\nrm x']) {
    assert.equal(commandMatches('npm test *', `npm test ${tail}`, 'allow'), false, tail);
    assert.equal(commandMatches('npm test *', `npm test ${tail}`, 'deny'), true, tail);
  }
});

test('path patterns are globs on the workspace-relative path, dotfiles included', () => {
  const rule: Rule = { tool: 'edit_file', pattern: 'src/**', decision: 'allow' };
  assert.equal(ruleMatches(rule, 'edit_file', path('src/a/b.ts')), true);
  assert.equal(ruleMatches(rule, 'edit_file', path('src/.env')), true);
  assert.equal(ruleMatches(rule, 'edit_file', path('test/a.ts')), false);
  assert.equal(ruleMatches(rule, 'write_file', path('src/a.ts')), false, 'another tool');
  assert.equal(ruleMatches(rule, 'edit_file', undefined), false, 'outside the workspace');
  assert.equal(ruleMatches({ tool: 'edit_file', decision: 'deny' }, 'edit_file', undefined), true, 'no pattern: every call');
});

test('within a tier deny beats allow, whatever the order', () => {
  const allow = tiered('project', { tool: 'shell', pattern: 'npm *', decision: 'allow' });
  const deny = tiered('project', { tool: 'shell', pattern: 'npm publish *', decision: 'deny' });
  assert.equal(decide([allow, deny], 'shell', shell('npm publish'))?.decision, 'deny');
  assert.equal(decide([deny, allow], 'shell', shell('npm publish'))?.decision, 'deny');
  assert.equal(decide([deny, allow], 'shell', shell('npm test'))?.decision, 'allow');
  assert.equal(decide([deny, allow], 'shell', shell('ls')), undefined);
});

test('a higher tier wins over a lower one, in both directions', () => {
  const sessionDeny = tiered('session', { tool: 'edit_file', decision: 'deny' });
  const projectAllow = tiered('project', { tool: 'edit_file', pattern: 'src/**', decision: 'allow' });
  const userDeny = tiered('user', { tool: 'edit_file', pattern: '**/*.lock', decision: 'deny' });
  const rules = [userDeny, sessionDeny, projectAllow];
  assert.equal(decide(rules, 'edit_file', path('src/a.ts'))?.decision, 'allow', 'project allow over session deny');
  assert.equal(decide(rules, 'edit_file', path('src/yarn.lock'))?.rule.tier, 'user', 'user deny over project allow');
  assert.equal(decide(rules, 'edit_file', path('docs/a.md'))?.rule.tier, 'session', 'only the session rule matches');
});

test('session rules keep their exact command and can be removed by id', () => {
  const rules = new SessionRules();
  rules.record({ scope: ruleScope('shell', { command: 'rm -rf *' }), decision: 'allow' });
  rules.record({ scope: ruleScope('write_file', { path: 'a' }), decision: 'reject' });
  const [rm, write] = rules.tiered();
  assert.deepEqual([rm!.tool, rm!.pattern, rm!.decision, write!.tool, write!.pattern, write!.decision], ['shell', 'rm -rf *', 'allow', 'write_file', undefined, 'deny']);
  assert.equal(decide([rm!], 'shell', shell('rm -rf /')), undefined, 'a session rule ending in * is still exact');
  assert.equal(decide([rm!], 'shell', shell('rm -rf *'))?.decision, 'allow');
  assert.equal(rules.removeById(rm!.id), 'shell:rm -rf *', 'the removed rule\'s scope, for the session log');
  assert.equal(rules.lookup('shell:rm -rf *'), undefined);
  assert.equal(rules.removeById(rm!.id), undefined);
});

test('rule ids are stable per tier and rule', () => {
  const rule: Rule = { tool: 'shell', pattern: 'npm test', decision: 'allow' };
  assert.equal(ruleId('project', rule), ruleId('project', { ...rule }));
  assert.notEqual(ruleId('project', rule), ruleId('user', rule));
  assert.notEqual(ruleId('project', rule), ruleId('project', { ...rule, decision: 'deny' }));
  assert.match(ruleId('user', rule), /^user-[0-9a-f]{12}$/);
});
