import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readFile, READ_OUTPUT_LIMIT_BYTES } from '../../../server/tools/read-file';
import { ToolError, type FileAccess } from '../../../server/tools/types';
import { makeContext, runTool, tempDir, writeTree } from './helpers';

describe('read_file', () => {
  const ws = tempDir();
  const lines = Array.from({ length: 3000 }, (_, index) => `line ${index + 1}`);
  writeTree(ws, {
    'small.txt': 'alpha\nbeta\r\ngamma\n',
    'big.txt': `${lines.join('\n')}\n`,
    'long-line.txt': `${'y'.repeat(5000)}\nshort\n`,
    'wide.txt': Array.from({ length: 200 }, () => 'w'.repeat(1000)).join('\n'),
    'empty.txt': '',
    'blob.bin': Buffer.from([0x7f, 0x45, 0x00, 0x01]),
    'dir/inner.txt': 'x',
  });
  const ctx = makeContext(ws);

  it('numbers lines like cat -n and reports the location', async () => {
    const result = await runTool(readFile, { path: 'small.txt' }, ctx);
    assert.equal(result.output, '1\talpha\n2\tbeta\n3\tgamma');
    assert.deepEqual(result.locations, [{ path: join(ws, 'small.txt'), line: 1 }]);
  });

  it('shows the user a one-line summary, not the file again', async () => {
    const result = await runTool(readFile, { path: 'big.txt', offset: 10, limit: 3 }, ctx);
    assert.deepEqual(result.display, [{ type: 'text', text: 'Read lines 10-12 of 3000 in big.txt' }]);
  });

  it('reads from offset for limit lines and says how to continue', async () => {
    const result = await runTool(readFile, { path: 'big.txt', offset: 10, limit: 3 }, ctx);
    assert.equal(
      result.output,
      '10\tline 10\n11\tline 11\n12\tline 12\n[... line limit reached: showing lines 10-12 of 3000; use offset=13 to read more ...]',
    );
  });

  it('reads 2000 lines by default', async () => {
    const result = await runTool(readFile, { path: 'big.txt' }, ctx);
    assert.match(result.output, /\n2000\tline 2000\n/);
    assert.doesNotMatch(result.output, /\tline 2001/);
    assert.match(result.output, /use offset=2001/);
  });

  it('has no continuation note when the end is reached', async () => {
    const result = await runTool(readFile, { path: 'big.txt', offset: 2999 }, ctx);
    assert.equal(result.output, '2999\tline 2999\n3000\tline 3000');
  });

  it('cuts very long lines', async () => {
    const result = await runTool(readFile, { path: 'long-line.txt' }, ctx);
    assert.match(result.output, /^1\ty{2000} \[\.\.\. 3000 more chars\]\n2\tshort$/);
  });

  it('caps the total output and points at the next offset', async () => {
    const result = await runTool(readFile, { path: 'wide.txt' }, ctx);
    assert.ok(Buffer.byteLength(result.output) <= READ_OUTPUT_LIMIT_BYTES + 200);
    assert.ok(result.output.startsWith('  1\tw'), 'line numbers are right-aligned to the widest shown');
    assert.match(result.output, /\[\.\.\. output capped at 60 KiB: showing lines 1-61 of 200; use offset=62 to read more \.\.\.\]$/);
  });

  it('says when a file is empty', async () => {
    assert.equal((await runTool(readFile, { path: 'empty.txt' }, ctx)).output, 'empty.txt is empty.');
  });

  it('reports a missing file with its path', async () => {
    await assert.rejects(runTool(readFile, { path: 'nope/missing.ts' }, ctx), (error: unknown) => {
      assert.ok(error instanceof ToolError);
      assert.equal(error.message, 'file not found: nope/missing.ts');
      return true;
    });
  });

  it('refuses directories, binary files and offsets past the end', async () => {
    await assert.rejects(runTool(readFile, { path: 'dir' }, ctx), /dir is a directory/);
    await assert.rejects(runTool(readFile, { path: 'blob.bin' }, ctx), /binary/);
    await assert.rejects(runTool(readFile, { path: 'small.txt', offset: 9 }, ctx), /offset 9 is past the end of small.txt, which has 3 lines/);
  });

  it('refuses paths outside the workspace', async () => {
    await assert.rejects(runTool(readFile, { path: '../../etc/passwd' }, ctx), /outside the workspace/);
  });

  it('reads through the context file access, which may hold unsaved buffers', async () => {
    const files: FileAccess = {
      readText: async (path) => `unsaved buffer of ${path}`,
      writeText: async () => assert.fail('read_file must not write'),
    };
    const result = await runTool(readFile, { path: 'small.txt' }, makeContext(ws, { files }));
    assert.equal(result.output, `1\tunsaved buffer of ${join(ws, 'small.txt')}`);
  });

  it('rejects invalid arguments through its schema', () => {
    assert.equal(readFile.input.safeParse({ path: 'a', offset: 0 }).success, false);
    assert.equal(readFile.input.safeParse({ offset: 1 }).success, false);
  });

  it('titles and locates the call before it runs', () => {
    assert.equal(readFile.title({ path: 'a.ts', offset: 5 }), 'Read a.ts (from line 5)');
    assert.deepEqual(readFile.locations?.({ path: 'a.ts' }, '/ws'), [{ path: '/ws/a.ts', line: 1 }]);
  });
});
