import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { addRule, readRules, removeRules } from '../../../server/permissions/rule-file';
import { ruleMatches } from '../../../server/permissions/rules';
import { projectSuggestion, revokeSaved, rulePaths, savedRules, subjectOf } from '../../../server/permissions/workspace-rules';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'tether-rules-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('rules are written atomically, private, in the documented format', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'projects', 'abc', 'permissions.json');
  addRule(file, { tool: 'shell', pattern: 'npm test', decision: 'allow' }, new Date('2025-01-02T03:04:05Z'));
  addRule(file, { tool: 'shell', pattern: 'npm test', decision: 'allow' });
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { version: 1, rules: [{ tool: 'shell', pattern: 'npm test', decision: 'allow', addedAt: '2025-01-02T03:04:05.000Z' }] });
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(join(dir, 'projects', 'abc')), ['permissions.json'], 'no temp file left');
});

test('a file changed on disk is read again; an unchanged one comes from the cache', (t) => {
  const file = join(tempDir(t), 'permissions.json');
  assert.deepEqual(readRules(file), []);
  addRule(file, { tool: 'edit_file', decision: 'deny' });
  const first = readRules(file);
  assert.equal(readRules(file), first, 'same array: cached');
  writeFileSync(file, JSON.stringify({ version: 1, rules: [{ tool: 'write_file', decision: 'allow', addedAt: 'x' }] }));
  assert.deepEqual(readRules(file).map((r) => r.tool), ['write_file']);
  assert.equal(removeRules(file, (r) => r.tool === 'write_file'), 1);
  assert.deepEqual(readRules(file), []);
});

test('a malformed file is an error, not an empty rule set', (t) => {
  const file = join(tempDir(t), 'permissions.json');
  writeFileSync(file, JSON.stringify({ version: 1, rules: [{ tool: 'shell', decision: 'maybe' }] }));
  assert.throws(() => readRules(file), /cannot read permission rules/);
  writeFileSync(file, '{');
  assert.throws(() => readRules(file), /cannot read permission rules/);
});

test('project rules are keyed by the real workspace path and revoked by id', (t) => {
  const dir = tempDir(t);
  const home = join(dir, 'home');
  mkdirSync(join(dir, 'ws'));
  symlinkSync(join(dir, 'ws'), join(dir, 'link'));
  const paths = rulePaths(home, join(dir, 'ws'));
  assert.deepEqual(rulePaths(home, join(dir, 'link')), paths, 'a symlinked workspace shares its rules');
  assert.equal(paths.user, join(home, 'permissions.json'));
  addRule(paths.project, { tool: 'shell', pattern: 'npm test', decision: 'allow' });
  addRule(paths.user, { tool: 'shell', pattern: 'rm *', decision: 'deny' });
  const [project, user] = savedRules(paths);
  assert.deepEqual([project!.tier, user!.tier], ['project', 'user']);
  assert.equal(revokeSaved(paths, user!.id), true);
  assert.equal(revokeSaved(paths, user!.id), false);
  assert.deepEqual(savedRules(paths).map((r) => r.id), [project!.id]);
});

test('calls become subjects: commands, real workspace-relative paths, nothing outside', async (t) => {
  const ws = tempDir(t);
  mkdirSync(join(ws, 'src', '[id]'), { recursive: true });
  mkdirSync(join(ws, 'docs'));
  symlinkSync(join(ws, 'docs'), join(ws, 'src', 'docs-link'));
  assert.deepEqual(await subjectOf('shell', { command: 'npm test' }, ws), { kind: 'command', command: 'npm test' });
  assert.deepEqual(await subjectOf('edit_file', { path: 'src/[id]/page.tsx' }, ws), { kind: 'path', path: 'src/[id]/page.tsx' });
  assert.deepEqual(await subjectOf('write_file', { path: 'src/docs-link/a.md' }, ws), { kind: 'path', path: 'docs/a.md' }, 'symlinks resolved');
  assert.equal(await subjectOf('write_file', { path: '../elsewhere.txt' }, ws), undefined);
  assert.equal(await subjectOf('update_plan', { entries: [] }, ws), undefined);
});

test('"always for this project" suggests the exact command or the file\'s directory', () => {
  assert.deepEqual(projectSuggestion('shell', { kind: 'command', command: ' npm test ' }), { tool: 'shell', pattern: 'npm test', decision: 'allow' });
  assert.equal(projectSuggestion('shell', { kind: 'command', command: 'rm -rf *' }), undefined, 'would become a prefix');
  assert.deepEqual(projectSuggestion('edit_file', { kind: 'path', path: 'a.txt' }), { tool: 'edit_file', pattern: '**', decision: 'allow' });
  const nested = projectSuggestion('edit_file', { kind: 'path', path: 'src/[id]/page.tsx' })!;
  assert.equal(nested.pattern, 'src/\\[id\\]/**');
  assert.equal(ruleMatches(nested, 'edit_file', { kind: 'path', path: 'src/[id]/x/y.ts' }), true, 'brackets are literal');
  assert.equal(ruleMatches(nested, 'edit_file', { kind: 'path', path: 'src/i/y.ts' }), false);
  assert.equal(projectSuggestion('edit_file', undefined), undefined);
});
