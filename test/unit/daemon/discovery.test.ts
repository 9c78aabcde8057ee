import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { discoveryPath, readDiscovery, removeDiscovery, writeDiscovery, type DiscoveryInfo } from '../../../server/daemon/discovery';
import { DaemonError } from '../../../server/daemon/errors';
import { acquireDaemonLock, lockPath } from '../../../server/daemon/lock';
import { ensurePrivateHome, isProcessAlive } from '../../../server/daemon/private-files';
import { tempHome } from './helpers';

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  assert.ok(child.pid && !isProcessAlive(child.pid));
  return child.pid;
}

const info = (overrides: Partial<DiscoveryInfo> = {}): DiscoveryInfo => ({
  port: 4321,
  host: '127.0.0.1',
  pid: process.pid,
  protocolVersion: 1,
  token: 'secret-token',
  version: '0.1.0',
  startedAt: '2026-11-01T00:00:00.000Z',
  ...overrides,
});

const codeOf = (code: string) => (error: unknown) => error instanceof DaemonError && error.code === code;

test('the discovery file is 0600 in a 0700 home, holds the fields, and leaves no temp file behind', () => {
  const home = join(tempHome(), 'nested', 'home');
  ensurePrivateHome(home);
  assert.equal(statSync(home).mode & 0o777, 0o700);
  writeDiscovery(home, info());
  assert.equal(statSync(discoveryPath(home)).mode & 0o777, 0o600);
  assert.deepEqual(JSON.parse(readFileSync(discoveryPath(home), 'utf8')), info());
  assert.deepEqual(readdirSync(home), ['daemon.json']);
  assert.deepEqual(readDiscovery(home), info());
  writeDiscovery(home, info({ port: 5555 }));
  assert.equal(readDiscovery(home)?.port, 5555, 'replaced in place');
});

test('a missing, malformed or stale file reads as no daemon', () => {
  const home = tempHome();
  assert.equal(readDiscovery(home), undefined);
  writeDiscovery(home, info({ pid: deadPid() }));
  assert.equal(readDiscovery(home), undefined, 'its process is gone');
  writeFileSync(discoveryPath(home), '{"port": 1, "pid":', { mode: 0o600 });
  assert.equal(readDiscovery(home), undefined);
  writeFileSync(discoveryPath(home), JSON.stringify({ ...info(), protocolVersion: 2 }), { mode: 0o600 });
  assert.equal(readDiscovery(home), undefined, 'another protocol version');
});

test('a discovery file others can read, or a symlink, is refused as insecure', () => {
  const home = tempHome();
  writeDiscovery(home, info());
  chmodSync(discoveryPath(home), 0o644);
  assert.throws(() => readDiscovery(home), codeOf('insecure_file'));
  const other = tempHome();
  writeDiscovery(other, info());
  const linked = tempHome();
  symlinkSync(discoveryPath(other), discoveryPath(linked));
  assert.throws(() => readDiscovery(linked), codeOf('insecure_file'));
});

test('a home writable by others is refused', () => {
  const home = tempHome();
  chmodSync(home, 0o777);
  assert.throws(() => ensurePrivateHome(home), codeOf('insecure_home'));
  chmodSync(home, 0o755);
  ensurePrivateHome(home);
});

test('removeDiscovery deletes only a file that still describes us', () => {
  const home = tempHome();
  writeDiscovery(home, info({ token: 'successor' }));
  assert.equal(removeDiscovery(home, { pid: process.pid, token: 'secret-token' }), false);
  assert.ok(existsSync(discoveryPath(home)));
  assert.equal(removeDiscovery(home, { pid: process.pid, token: 'successor' }), true);
  assert.ok(!existsSync(discoveryPath(home)));
  assert.equal(removeDiscovery(home, { pid: process.pid, token: 'successor' }), false, 'already gone');
});

test('the lock: taken once, refused while its holder lives, released only by its owner', () => {
  const home = tempHome();
  const first = acquireDaemonLock(home);
  assert.equal(first.kind, 'acquired');
  assert.equal(readFileSync(lockPath(home), 'utf8').trim(), String(process.pid));
  assert.equal(statSync(lockPath(home)).mode & 0o777, 0o600);
  const second = acquireDaemonLock(home);
  assert.deepEqual(second, { kind: 'held', pid: process.pid, path: lockPath(home) });
  if (first.kind === 'acquired') first.lock.release();
  assert.ok(!existsSync(lockPath(home)));
  assert.deepEqual(readdirSync(home), [], 'no temp files left');
});

test('a lock left by a dead process, or holding garbage, is broken and taken', () => {
  for (const content of [`${deadPid()}\n`, 'not a pid\n']) {
    const home = tempHome();
    writeFileSync(lockPath(home), content, { mode: 0o600 });
    const outcome = acquireDaemonLock(home);
    assert.equal(outcome.kind, 'acquired', content);
    assert.equal(readFileSync(lockPath(home), 'utf8').trim(), String(process.pid));
    if (outcome.kind === 'acquired') outcome.lock.release();
    assert.deepEqual(readdirSync(home), []);
  }
});

test('releasing does not delete a lock that someone else now holds', () => {
  const home = tempHome();
  const outcome = acquireDaemonLock(home);
  assert.equal(outcome.kind, 'acquired');
  // A successor broke our lock and published its own under the same name.
  writeFileSync(`${lockPath(home)}.successor`, '1\n', { mode: 0o600 });
  renameSync(`${lockPath(home)}.successor`, lockPath(home));
  if (outcome.kind === 'acquired') outcome.lock.release();
  assert.equal(readFileSync(lockPath(home), 'utf8'), '1\n');
});
