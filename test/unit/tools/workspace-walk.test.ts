import assert from 'node:assert/strict';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { describe, it, mock } from 'node:test';
import { GitignoreRules, listFiles, resolveSearchScope } from '../../../server/tools/workspace-walk';
import { tempDir, writeTree } from './helpers';

describe('GitignoreRules', () => {
  const root = tempDir();
  writeTree(root, { '.gitignore': '*.tmp\nout/\n', 'pkg/.gitignore': '!keep.tmp\n' });
  const rules = new GitignoreRules(root);

  it('applies root rules at any depth and directory-only rules to directories', async () => {
    assert.equal(await rules.isIgnored(join(root, 'a/b/x.tmp'), false), true);
    assert.equal(await rules.isIgnored(join(root, 'out'), true), true);
    assert.equal(await rules.isIgnored(join(root, 'out'), false), false);
    assert.equal(await rules.isIgnored(join(root, 'src/x.ts'), false), false);
  });

  it('lets a deeper .gitignore override a shallower one', async () => {
    assert.equal(await rules.isIgnored(join(root, 'pkg/keep.tmp'), false), false);
    assert.equal(await rules.isIgnored(join(root, 'pkg/other.tmp'), false), true);
  });

  it('ignores nothing outside its root', async () => {
    assert.equal(await rules.isIgnored('/elsewhere/x.tmp', false), false);
  });
});

describe('resolveSearchScope', () => {
  it('applies the .gitignore of a repository that encloses the workspace', async () => {
    const repo = tempDir();
    writeTree(repo, { '.git/HEAD': 'ref', '.gitignore': 'generated/\n', 'app/src/main.ts': '', 'app/generated/gen.ts': '' });
    const scope = await resolveSearchScope(undefined, { cwd: join(repo, 'app'), additionalDirectories: [] });
    assert.deepEqual(scope, { base: join(repo, 'app'), isFile: false, rulesRoot: repo });
    const files = await listFiles({ base: scope.base, rulesRoot: scope.rulesRoot, patterns: ['**'] });
    assert.deepEqual(files, [join(repo, 'app/src/main.ts')]);
  });

  it('uses the workspace root when there is no repository', async () => {
    const ws = tempDir();
    writeTree(ws, { 'a/b.txt': '' });
    const scope = await resolveSearchScope('a/b.txt', { cwd: ws, additionalDirectories: [] });
    assert.equal(scope.isFile, true);
    assert.equal(scope.base, join(ws, 'a/b.txt'));
  });
});

describe('listFiles', () => {
  it('never reads ignored directories or .git, so their size costs nothing', async () => {
    const ws = tempDir();
    writeTree(ws, { '.gitignore': 'node_modules/\n', 'src/a.ts': '', 'node_modules/pkg/deep/x.ts': '', '.git/objects/ab/cd': '' });
    const listed: string[] = [];
    const realReaddir = fs.readdir;
    mock.method(fs, 'readdir', function (this: unknown, ...args: unknown[]) {
      listed.push(String(args[0]));
      return (realReaddir as (...rest: unknown[]) => unknown).apply(this, args);
    });
    // The walker imports node:fs as an ES module; this pushes the spy into its bindings.
    syncBuiltinESMExports();
    try {
      assert.deepEqual(await listFiles({ base: ws, rulesRoot: ws, patterns: ['**'] }), [join(ws, '.gitignore'), join(ws, 'src/a.ts')]);
    } finally {
      mock.restoreAll();
      syncBuiltinESMExports();
    }
    assert.ok(listed.length >= 2, `the spy saw the crawl: ${listed.join(', ')}`);
    assert.deepEqual(listed.filter((dir) => dir.includes('node_modules') || dir.includes('.git')), []);
  });
});
