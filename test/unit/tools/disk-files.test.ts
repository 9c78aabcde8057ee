import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { diskFileAccess } from '../../../server/tools/disk-files';
import { tempDir, writeTree } from './helpers';

describe('diskFileAccess', () => {
  const ws = tempDir();

  it('reads utf8 text', async () => {
    writeTree(ws, { 'a.txt': 'héllo\n' });
    assert.equal(await diskFileAccess.readText(join(ws, 'a.txt')), 'héllo\n');
  });

  it('writes text, creating parent directories', async () => {
    await diskFileAccess.writeText(join(ws, 'x/y/z.txt'), 'ünïcode');
    assert.equal(readFileSync(join(ws, 'x/y/z.txt'), 'utf8'), 'ünïcode');
  });

  it('fails with the errno code on a missing file, so tools can explain it', async () => {
    await assert.rejects(diskFileAccess.readText(join(ws, 'missing.txt')), { code: 'ENOENT' });
  });
});
