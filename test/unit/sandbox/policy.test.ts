import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bwrapArgs, isSandboxPolicyId, protectedGitPaths, writableRoots } from '../../../server/sandbox/policy';

/** Index of the `flag value...` group in args, or -1. */
function indexOfGroup(args: string[], ...group: string[]): number {
  return args.findIndex((_, i) => group.every((word, j) => args[i + j] === word));
}

describe('sandbox policy → bwrap arguments', () => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'tether-policy-')));
  after(() => rmSync(base, { recursive: true, force: true }));
  const ws = join(base, 'ws');
  const extra = join(base, 'extra');
  const hidden = join(base, 'hidden');
  for (const dir of [join(ws, '.git'), join(ws, 'sub'), extra, hidden]) mkdirSync(dir, { recursive: true });
  symlinkSync(ws, join(base, 'ws-link'));
  const roots = { cwd: join(base, 'ws-link'), additionalDirectories: [extra, join(ws, 'sub'), join(base, 'missing')] };

  it('isolates everything and binds only the real, existing, non-nested roots', () => {
    const args = bwrapArgs({ policy: 'workspace-write', roots, network: false });
    for (const flag of ['--unshare-user', '--disable-userns', '--unshare-pid', '--unshare-ipc', '--unshare-net', '--die-with-parent', '--new-session']) {
      assert.ok(args.includes(flag), flag);
    }
    assert.ok(indexOfGroup(args, '--cap-drop', 'ALL') >= 0);
    assert.equal(indexOfGroup(args, '--ro-bind', '/', '/'), args.indexOf('--ro-bind'));
    assert.deepEqual(writableRoots(roots), [ws, extra]);
    assert.ok(indexOfGroup(args, '--bind', ws, ws) > indexOfGroup(args, '--tmpfs', '/tmp'));
    assert.ok(indexOfGroup(args, '--bind', extra, extra) > 0);
    assert.equal(indexOfGroup(args, '--bind', join(ws, 'sub'), join(ws, 'sub')), -1);
    assert.ok(indexOfGroup(args, '--ro-bind', join(ws, '.git'), join(ws, '.git')) > indexOfGroup(args, '--bind', ws, ws));
  });

  it('shares the network only when allowed', () => {
    assert.ok(!bwrapArgs({ policy: 'workspace-write', roots, network: true }).includes('--unshare-net'));
  });

  it('binds nothing writable under read-only', () => {
    const args = bwrapArgs({ policy: 'read-only', roots, network: false });
    assert.ok(!args.includes('--bind'));
  });

  it('binds a private tmp directory at /tmp when given', () => {
    const args = bwrapArgs({ policy: 'workspace-write', roots, network: false, privateTmp: hidden });
    assert.ok(indexOfGroup(args, '--bind', hidden, '/tmp') >= 0);
    assert.equal(indexOfGroup(args, '--tmpfs', '/tmp'), -1);
  });

  it('hides paths read-only, before a root they contain and after a root containing them', () => {
    const inside = join(ws, 'sub');
    const args = bwrapArgs({ policy: 'workspace-write', roots: { cwd: ws, additionalDirectories: [] }, network: false, hiddenPaths: [base, inside, join(base, 'nope')] });
    const bind = indexOfGroup(args, '--bind', ws, ws);
    assert.ok(indexOfGroup(args, '--tmpfs', base, '--remount-ro', base) < bind);
    assert.ok(indexOfGroup(args, '--tmpfs', inside, '--remount-ro', inside) > bind);
    assert.ok(!args.includes(join(base, 'nope')));
  });

  it("protects a worktree's .git pointer and its git dir when it lies in a root", () => {
    const wt = join(base, 'wt');
    mkdirSync(join(ws, '.git', 'worktrees', 'wt'), { recursive: true });
    mkdirSync(wt);
    writeFileSync(join(wt, '.git'), `gitdir: ${join(ws, '.git', 'worktrees', 'wt')}\n`);
    assert.deepEqual(protectedGitPaths([wt, ws]), [join(wt, '.git'), join(ws, '.git', 'worktrees', 'wt'), join(ws, '.git')]);
  });

  it('refuses to build arguments for full-access and knows its policy ids', () => {
    assert.throws(() => bwrapArgs({ policy: 'full-access', roots, network: false }), /without a sandbox/);
    assert.ok(isSandboxPolicyId('read-only'));
    assert.ok(!isSandboxPolicyId('toString'));
  });
});
