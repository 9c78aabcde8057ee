// Escape attempts through the file tools on the local disk: they refuse every path outside
// the roots (reads included, unlike the shell), after resolving symlinks.
import assert from 'node:assert/strict';
import { existsSync, linkSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { editFile } from '../../../server/tools/edit-file';
import { readFile } from '../../../server/tools/read-file';
import { ToolError } from '../../../server/tools/types';
import { writeFile } from '../../../server/tools/write-file';
import { makeContext, runTool } from '../tools/helpers';
import { assertAbsent, assertUntouched, makeFixture } from './helpers';

const OUTSIDE = /is outside the workspace .*; tools may only touch files inside it/;

describe('sandbox escapes: file tools', () => {
  const fx = makeFixture();
  const ctx = makeContext(fx.ws);
  symlinkSync(fx.secret, join(fx.ws, 'file-link'));
  symlinkSync(fx.outside, join(fx.ws, 'dir-link'));

  const refused = async (run: () => Promise<unknown>, reason: RegExp): Promise<void> => {
    await assert.rejects(run, (error: unknown) => error instanceof ToolError && reason.test(error.message));
    assertUntouched(fx);
  };

  it('write_file refuses a ../ path', async () => {
    await refused(() => runTool(writeFile, { path: '../outside/secret.txt', content: 'x' }, ctx), OUTSIDE);
  });

  it('write_file refuses an absolute path outside', async () => {
    await refused(() => runTool(writeFile, { path: join(fx.outside, 'new.txt'), content: 'x' }, ctx), OUTSIDE);
    assertAbsent(join(fx.outside, 'new.txt'));
  });

  it('write_file refuses a symlink to an outside file', async () => {
    await refused(() => runTool(writeFile, { path: 'file-link', content: 'x' }, ctx), OUTSIDE);
  });

  it('write_file refuses a new file under a symlinked outside directory', async () => {
    await refused(() => runTool(writeFile, { path: 'dir-link/created.txt', content: 'x' }, ctx), OUTSIDE);
    assertAbsent(join(fx.outside, 'created.txt'));
  });

  it('write_file refuses /proc/self/root paths', async () => {
    await refused(() => runTool(writeFile, { path: `/proc/self/root${fx.secret}`, content: 'x' }, ctx), OUTSIDE);
  });

  it('write_file refuses a git hook', async () => {
    await refused(() => runTool(writeFile, { path: '.git/hooks/pre-commit', content: '#!/bin/sh\n' }, ctx), /inside \.git/);
    assertAbsent(join(fx.ws, '.git/hooks/pre-commit'));
  });

  it('write_file and edit_file refuse a hard link to an outside file', async () => {
    linkSync(fx.secret, join(fx.ws, 'hard-link'));
    await refused(() => runTool(writeFile, { path: 'hard-link', content: 'x' }, ctx), /hard links/);
    const text = readFileSync(fx.secret, 'utf8');
    await refused(() => runTool(editFile, { path: 'hard-link', old_text: text.slice(0, 3), new_text: 'xyz' }, ctx), /hard links/);
  });

  it('edit_file refuses a symlink to an outside file', async () => {
    await refused(() => runTool(editFile, { path: 'file-link', old_text: 'outside', new_text: 'pwned' }, ctx), OUTSIDE);
  });

  it('edit_file refuses an absolute path outside', async () => {
    await refused(() => runTool(editFile, { path: fx.secret, old_text: 'outside', new_text: 'pwned' }, ctx), OUTSIDE);
  });

  it("read_file refuses another session's workspace", async () => {
    await refused(() => runTool(readFile, { path: join(fx.other, 'notes.txt') }, ctx), OUTSIDE);
  });

  it('read_file refuses a ../ path and a symlinked directory', async () => {
    await refused(() => runTool(readFile, { path: '../outside/secret.txt' }, ctx), OUTSIDE);
    await refused(() => runTool(readFile, { path: 'dir-link/secret.txt' }, ctx), OUTSIDE);
  });

  it('read_file refuses TETHER_HOME', async () => {
    await refused(() => runTool(readFile, { path: join(fx.tetherHome, 'daemon.json') }, ctx), OUTSIDE);
  });

  it('write_file still writes inside the workspace (control)', async () => {
    await runTool(writeFile, { path: 'inside.txt', content: 'ok\n' }, ctx);
    assert.equal(readFileSync(join(fx.ws, 'inside.txt'), 'utf8'), 'ok\n');
    assert.ok(existsSync(fx.secret));
  });
});
