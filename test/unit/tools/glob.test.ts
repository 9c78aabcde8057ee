import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { GLOB_RESULT_LIMIT, globFiles } from '../../../server/tools/glob';
import { makeContext, runTool, tempDir, writeTree } from './helpers';

describe('glob', () => {
  const ws = tempDir();
  writeTree(ws, {
    '.gitignore': 'node_modules/\n*.log\nbuild\n',
    'README.md': '',
    'src/a.ts': '',
    'src/b.ts': '',
    'src/nested/c.ts': '',
    'src/nested/.gitignore': 'secret.ts\n!keep.log\n',
    'src/nested/secret.ts': '',
    'src/nested/keep.log': '',
    'src/debug.log': '',
    'node_modules/pkg/index.ts': '',
    'build/out.ts': '',
    '.git/hooks/x.ts': '',
    '.github/ci.ts': '',
  });
  const ctx = makeContext(ws);
  const list = async (args: Record<string, unknown>): Promise<string[]> => (await runTool(globFiles, args, ctx)).output.split('\n');

  it('lists matching files workspace-relative and sorted, honouring root and nested .gitignore', async () => {
    assert.deepEqual(await list({ pattern: '**/*.ts' }), ['.github/ci.ts', 'src/a.ts', 'src/b.ts', 'src/nested/c.ts']);
  });

  it('lets a nested .gitignore re-include what the root ignores', async () => {
    assert.deepEqual(await list({ pattern: '**/*.log' }), ['src/nested/keep.log']);
  });

  it('searches below path, still printing workspace-relative paths', async () => {
    assert.deepEqual(await list({ pattern: '*.ts', path: 'src/nested' }), ['src/nested/c.ts']);
  });

  it('can list inside an ignored directory when pointed at it', async () => {
    assert.deepEqual(await list({ pattern: '**/*.ts', path: 'node_modules' }), ['node_modules/pkg/index.ts']);
  });

  it('says when nothing matches', async () => {
    assert.equal((await runTool(globFiles, { pattern: '**/*.rs' }, ctx)).output, 'No files match **/*.rs.');
  });

  it('refuses patterns and paths that leave the workspace', async () => {
    await assert.rejects(runTool(globFiles, { pattern: '../**/*.ts' }, ctx), /must be relative/);
    await assert.rejects(runTool(globFiles, { pattern: '/etc/*' }, ctx), /must be relative/);
    await assert.rejects(runTool(globFiles, { pattern: '*', path: '..' }, ctx), /outside the workspace/);
    await assert.rejects(runTool(globFiles, { pattern: '*', path: 'README.md' }, ctx), /is a file/);
    await assert.rejects(runTool(globFiles, { pattern: '*', path: 'nope' }, ctx), /does not exist/);
  });

  it('does not follow symlinked directories out of the workspace', async () => {
    const outside = tempDir();
    writeTree(outside, { 'leak.ts': '' });
    symlinkSync(outside, join(ws, 'linked'));
    assert.ok(!(await list({ pattern: '**/*.ts' })).some((line) => line.includes('leak')));
  });

  it('caps the result list with a marker', async () => {
    const many = tempDir();
    writeTree(many, Object.fromEntries(Array.from({ length: GLOB_RESULT_LIMIT + 7 }, (_, index) => [`f${String(index).padStart(4, '0')}.txt`, ''])));
    const lines = (await runTool(globFiles, { pattern: '*.txt' }, makeContext(many))).output.split('\n');
    assert.equal(lines.length, GLOB_RESULT_LIMIT + 1);
    assert.equal(lines[0], 'f0000.txt');
    assert.equal(lines.at(-1), '[... 7 more files not shown; narrow the pattern or path ...]');
  });
});
