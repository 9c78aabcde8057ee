import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeFile } from '../../../server/tools/write-file';
import type { FileAccess } from '../../../server/tools/types';
import { makeContext, runTool, tempDir, writeTree } from './helpers';

describe('write_file', () => {
  const ws = tempDir();
  writeTree(ws, { 'existing.txt': 'old\n', '.git/HEAD': 'ref: refs/heads/main\n' });
  const ctx = makeContext(ws);

  it('creates a new file with its parent directories and shows a diff from nothing', async () => {
    const result = await runTool(writeFile, { path: 'new/deep/file.ts', content: 'a\nb\n' }, ctx);
    const abs = join(ws, 'new/deep/file.ts');
    assert.equal(readFileSync(abs, 'utf8'), 'a\nb\n');
    assert.equal(result.output, 'Created new/deep/file.ts (2 lines).');
    assert.deepEqual(result.display, [{ type: 'diff', path: abs, oldText: null, newText: 'a\nb\n' }]);
  });

  it('overwrites an existing file and shows the old text', async () => {
    const result = await runTool(writeFile, { path: 'existing.txt', content: 'new\n' }, ctx);
    assert.equal(readFileSync(join(ws, 'existing.txt'), 'utf8'), 'new\n');
    assert.equal(result.output, 'Overwrote existing.txt (1 line).');
    assert.deepEqual(result.display, [{ type: 'diff', path: join(ws, 'existing.txt'), oldText: 'old\n', newText: 'new\n' }]);
  });

  it('writes through the context file access', async () => {
    const written: [string, string][] = [];
    const files: FileAccess = {
      readText: async () => assert.fail('write_file reads old text from disk'),
      writeText: async (path, content) => void written.push([path, content]),
    };
    await runTool(writeFile, { path: 'via-editor.txt', content: 'x' }, makeContext(ws, { files }));
    assert.deepEqual(written, [[join(ws, 'via-editor.txt'), 'x']]);
  });

  it('refuses paths outside the workspace and git internals', async () => {
    await assert.rejects(runTool(writeFile, { path: '../evil.txt', content: 'x' }, ctx), /outside the workspace/);
    await assert.rejects(runTool(writeFile, { path: '.git/HEAD', content: 'x' }, ctx), /inside \.git/);
  });

  it('refuses to replace a directory', async () => {
    await assert.rejects(runTool(writeFile, { path: 'new', content: 'x' }, ctx), /new is a directory/);
  });
});
