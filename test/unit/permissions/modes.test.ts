import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isOffered, MODES, verdictFor } from '../../../server/permissions/modes';
import { ruleScope, SessionRules } from '../../../server/permissions/session-rules';
import { ALL_TOOLS } from '../../../server/tools/registry';

test('each mode decides every access kind as documented', () => {
  assert.equal(verdictFor('default', 'edit_file', 'edit'), 'ask');
  assert.equal(verdictFor('default', 'shell', 'execute'), 'ask');
  assert.equal(verdictFor('accept-edits', 'edit_file', 'edit'), 'allow');
  assert.equal(verdictFor('accept-edits', 'shell', 'execute'), 'ask');
  assert.equal(verdictFor('bypass', 'shell', 'execute'), 'allow');
  for (const mode of MODES) assert.equal(verdictFor(mode.id, 'read_file', 'read'), 'allow');
});

test('plan mode offers only read and planning tools; exit_plan_mode exists only there', () => {
  const offered = (mode: 'plan' | 'default') => ALL_TOOLS.filter((t) => isOffered(mode, t.name, t.access)).map((t) => t.name).sort();
  assert.deepEqual(offered('plan'), ['ask_user', 'exit_plan_mode', 'glob', 'grep', 'read_file', 'update_plan']);
  assert.ok(!offered('default').includes('exit_plan_mode'));
  assert.ok(offered('default').includes('shell'));
  assert.equal(verdictFor('plan', 'write_file', 'edit'), 'deny');
  assert.equal(verdictFor('plan', 'shell', 'execute'), 'deny');
});

test('shell rules are scoped to the exact command', () => {
  const rules = new SessionRules();
  rules.record({ scope: ruleScope('shell', { command: 'npm test' }), decision: 'allow' });
  assert.equal(rules.lookup(ruleScope('shell', { command: 'npm test' })), 'allow');
  assert.equal(rules.lookup(ruleScope('shell', { command: 'rm -rf /' })), undefined);
  rules.record({ scope: ruleScope('edit_file', { path: 'a' }), decision: 'reject' });
  assert.equal(rules.lookup(ruleScope('edit_file', { path: 'b' })), 'reject');
});
