import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { displayPath, resolveToolPath } from '../../../server/tools/paths';
import { ToolError } from '../../../server/tools/types';
import { tempDir, writeTree } from './helpers';

describe('resolveToolPath', () => {
  const ws = tempDir();
  const outside = tempDir();
  const extra = tempDir();
  writeTree(ws, { 'src/a.ts': 'a', '.git/config': '[core]' });
  writeTree(outside, { 'secret.txt': 's' });
  writeTree(extra, { 'lib.ts': 'l' });
  symlinkSync(outside, join(ws, 'escape'));
  symlinkSync(join(outside, 'secret.txt'), join(ws, 'secret-link'));
  symlinkSync(join(outside, 'nowhere.txt'), join(ws, 'dangling'));
  symlinkSync(join(ws, 'src'), join(ws, 'src-link'));
  const roots = { cwd: ws, additionalDirectories: [] as string[] };

  it('resolves relative paths against the workspace root', async () => {
    assert.equal(await resolveToolPath('src/a.ts', roots, 'read'), join(ws, 'src/a.ts'));
    assert.equal(await resolveToolPath('./src/../src/a.ts', roots, 'read'), join(ws, 'src/a.ts'));
  });

  it('accepts absolute paths inside the workspace', async () => {
    assert.equal(await resolveToolPath(join(ws, 'src/a.ts'), roots, 'read'), join(ws, 'src/a.ts'));
  });

  it('refuses .. escapes with a message naming the path and the workspace', async () => {
    await assert.rejects(resolveToolPath('../x', roots, 'read'), (error: unknown) => {
      assert.ok(error instanceof ToolError);
      assert.equal(error.message, `path "../x" is outside the workspace ${ws}; tools may only touch files inside it`);
      return true;
    });
  });

  it('refuses absolute paths outside the workspace', async () => {
    await assert.rejects(resolveToolPath(join(outside, 'secret.txt'), roots, 'read'), ToolError);
  });

  it('resolves symlinks before checking containment', async () => {
    await assert.rejects(resolveToolPath('escape/secret.txt', roots, 'read'), /outside the workspace/);
    await assert.rejects(resolveToolPath('secret-link', roots, 'read'), /outside the workspace/);
    await assert.rejects(resolveToolPath('escape/new-file.txt', roots, 'write'), /outside the workspace/);
    assert.equal(await resolveToolPath('src-link/a.ts', roots, 'read'), join(ws, 'src/a.ts'));
  });

  it('resolves files not created yet through their deepest existing ancestor', async () => {
    assert.equal(await resolveToolPath('src-link/new/deep.ts', roots, 'write'), join(ws, 'src/new/deep.ts'));
  });

  it('refuses broken symlinks, which would write wherever they point', async () => {
    await assert.rejects(resolveToolPath('dangling', roots, 'write'), /broken symbolic link/);
  });

  it('allows additional directories and names them when refusing', async () => {
    const withExtra = { cwd: ws, additionalDirectories: [extra] };
    assert.equal(await resolveToolPath(join(extra, 'lib.ts'), withExtra, 'write'), join(extra, 'lib.ts'));
    await assert.rejects(resolveToolPath(join(outside, 'secret.txt'), withExtra, 'read'), new RegExp(`additional directories ${extra}`));
  });

  it('refuses writes into .git but allows reading it', async () => {
    await assert.rejects(resolveToolPath('.git/config', roots, 'write'), /inside \.git/);
    await assert.rejects(resolveToolPath('sub/.git/hooks/pre-commit', roots, 'write'), /inside \.git/);
    assert.equal(await resolveToolPath('.git/config', roots, 'read'), join(ws, '.git/config'));
    assert.equal(await resolveToolPath('.github/ci.yml', roots, 'write'), join(ws, '.github/ci.yml'));
  });

  it('refuses an empty path', async () => {
    await assert.rejects(resolveToolPath('  ', roots, 'read'), /path is empty/);
  });

  it('realpaths the workspace root itself', async () => {
    const linkedRoot = join(outside, 'ws-link');
    symlinkSync(ws, linkedRoot);
    mkdirSync(join(ws, 'dir'), { recursive: true });
    assert.equal(await resolveToolPath('dir', { cwd: linkedRoot, additionalDirectories: [] }, 'read'), join(ws, 'dir'));
  });
});

describe('displayPath', () => {
  it('is workspace-relative inside, absolute outside', () => {
    assert.equal(displayPath('/ws/src/a.ts', '/ws'), 'src/a.ts');
    assert.equal(displayPath('/ws', '/ws'), '.');
    assert.equal(displayPath('/other/a.ts', '/ws'), '/other/a.ts');
    assert.equal(displayPath('/wsx/a.ts', '/ws'), '/wsx/a.ts');
  });
});
