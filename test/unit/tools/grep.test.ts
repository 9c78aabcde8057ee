import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GREP_MATCH_LIMIT, GREP_MAX_FILE_BYTES, grep } from '../../../server/tools/grep';
import { makeContext, runTool, tempDir, writeTree } from './helpers';

describe('grep', () => {
  const ws = tempDir();
  writeTree(ws, {
    '.gitignore': 'dist/\n',
    'src/a.ts': 'export const Alpha = 1;\nconst beta = 2;\n',
    'src/b.js': 'const alpha = "js";\r\n',
    'src/sub/c.ts': 'nothing here\nalpha again\n',
    'dist/a.ts': 'const alpha = "built";\n',
    'image.png': Buffer.concat([Buffer.from('alpha'), Buffer.from([0, 1, 2])]),
    'huge.txt': `alpha\n${'z'.repeat(GREP_MAX_FILE_BYTES)}`,
    'min.js': `${'q'.repeat(1000)}alpha${'r'.repeat(1000)}\n`,
  });
  const ctx = makeContext(ws);
  const search = async (args: Record<string, unknown>): Promise<string> => (await runTool(grep, args, ctx)).output;

  it('prints path:line: text for each match, skipping ignored, binary and huge files', async () => {
    const output = await search({ pattern: 'alpha' });
    const lines = output.split('\n');
    assert.match(lines[0] ?? '', /^min\.js:1: …q+alphar+…$/);
    assert.deepEqual(lines.slice(1, 3), ['src/b.js:1: const alpha = "js";', 'src/sub/c.ts:2: alpha again']);
    assert.equal(lines[3], '[1 file over 1 MiB skipped]');
    assert.equal(lines.length, 4);
  });

  it('cuts long lines around the match', async () => {
    const line = (await search({ pattern: 'alpha', glob: 'min.js' })).split('\n')[0] ?? '';
    assert.ok(line.length < 330, `line is ${line.length} chars`);
    assert.ok(line.includes('alpha'));
  });

  it('supports ignore_case, glob filters and a path', async () => {
    assert.equal(await search({ pattern: 'alpha', ignore_case: true, glob: '*.ts' }), 'src/a.ts:1: export const Alpha = 1;\nsrc/sub/c.ts:2: alpha again');
    assert.equal(await search({ pattern: 'alpha', path: 'src/sub' }), 'src/sub/c.ts:2: alpha again');
    assert.equal(await search({ pattern: 'beta', path: 'src/a.ts' }), 'src/a.ts:2: const beta = 2;');
    assert.equal(await search({ pattern: 'alpha', glob: 'src/*.js' }), 'src/b.js:1: const alpha = "js";');
  });

  it('searches an ignored directory when pointed at it', async () => {
    assert.equal(await search({ pattern: 'alpha', path: 'dist' }), 'dist/a.ts:1: const alpha = "built";');
  });

  it('says when nothing matches', async () => {
    assert.equal(await search({ pattern: 'zeta', path: 'src' }), 'No matches for "zeta" in 3 files.');
  });

  it('turns an invalid regex into a ToolError', async () => {
    await assert.rejects(runTool(grep, { pattern: 'foo(' }, ctx), /^ToolError: invalid regular expression "foo\(": /);
  });

  it('refuses paths and globs outside the workspace', async () => {
    await assert.rejects(runTool(grep, { pattern: 'x', path: '../' }, ctx), /outside the workspace/);
    await assert.rejects(runTool(grep, { pattern: 'x', glob: '../*.ts' }, ctx), /must be relative/);
  });

  it('caps the number of matches with a marker', async () => {
    const many = tempDir();
    writeTree(many, { 'a.txt': 'hit\n'.repeat(150), 'b.txt': 'hit\n'.repeat(150) });
    const lines = (await runTool(grep, { pattern: 'hit' }, makeContext(many))).output.split('\n');
    assert.equal(lines.length, GREP_MATCH_LIMIT + 1);
    assert.equal(lines[GREP_MATCH_LIMIT - 1], 'b.txt:50: hit');
    assert.equal(lines.at(-1), `[... stopped at ${GREP_MATCH_LIMIT} matches; narrow the pattern, path or glob ...]`);
  });

  it('stops when the call is cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(runTool(grep, { pattern: 'alpha' }, makeContext(ws, { signal: controller.signal })));
  });
});
