import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ensureDaemon } from '../../../server/bridge/launcher';
import { FakeDaemon } from './fake-daemon';

const FAKE_SERVE = join(import.meta.dirname, 'fake-serve.mjs');
const root = mkdtempSync(join(tmpdir(), 'tether-launcher-'));
const started: number[] = [];
after(() => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(root, { recursive: true, force: true });
});

let homes = 0;
function newHome(): string {
  const home = join(root, `home-${++homes}`);
  mkdirSync(home, { recursive: true });
  return home;
}

const env = (home: string, extra: Record<string, string> = {}) => ({ ...process.env, TETHER_HOME: home, ...extra });

test('a running daemon is reused; nothing is started', async () => {
  const home = newHome();
  const daemon = await FakeDaemon.start({ home });
  after(() => daemon.close());
  const info = await ensureDaemon({ home, script: join(root, 'does-not-exist.cjs'), env: env(home) });
  assert.equal(info.port, daemon.port);
  assert.equal(info.pid, process.pid);
});

test('with no daemon, `<script> serve` starts detached, with the same environment, and is waited for', async () => {
  const home = newHome();
  const info = await ensureDaemon({ home, script: FAKE_SERVE, env: env(home, { FAKE_SERVE_MARK: 'same-env' }) });
  started.push(info.pid);
  assert.notEqual(info.pid, process.pid);
  assert.equal(info.version, 'same-env');
  // Detached: its own process group, so the editor's signals to the bridge do not reach it.
  const stat = readFileSync(`/proc/${info.pid}/stat`, 'utf8');
  const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  assert.equal(pgid, info.pid);
});

test('a discovery file left by a dead daemon leads to a fresh start', async () => {
  const home = newHome();
  writeFileSync(join(home, 'daemon.json'), JSON.stringify({ port: 1, pid: 2 ** 22 + 12345, token: 'x', protocolVersion: 1 }));
  const info = await ensureDaemon({ home, script: FAKE_SERVE, env: env(home) });
  started.push(info.pid);
  assert.notEqual(info.port, 1);
});

test('a daemon that exits at once fails fast, naming the log file that holds its stderr', async () => {
  const home = newHome();
  const begun = Date.now();
  await assert.rejects(
    ensureDaemon({ home, script: FAKE_SERVE, env: env(home, { FAKE_SERVE_BEHAVIOUR: 'exit' }), startTimeoutMs: 10_000 }),
    (error: Error) => {
      assert.match(error.message, /exited with code 3/);
      assert.match(error.message, new RegExp(`see ${join(home, 'daemon.log')}`));
      return true;
    },
  );
  assert.match(readFileSync(join(home, 'daemon.log'), 'utf8'), /fake serve: exiting with 3/);
  assert.ok(Date.now() - begun < 5_000, 'did not wait for the whole start timeout');
});

test('a daemon that exits 0 lost the start race: the winner is waited for', async () => {
  const home = newHome();
  const winner = await FakeDaemon.start();
  after(() => winner.close());
  setTimeout(() => winner.writeDiscovery(home), 700); // later than the failure grace
  const info = await ensureDaemon({ home, script: FAKE_SERVE, env: env(home, { FAKE_SERVE_BEHAVIOUR: 'lost-race' }), startTimeoutMs: 5_000 });
  assert.equal(info.port, winner.port);
});

test('a daemon that never announces itself times out with a clear message', async () => {
  const home = newHome();
  await assert.rejects(
    ensureDaemon({ home, script: FAKE_SERVE, env: env(home, { FAKE_SERVE_BEHAVIOUR: 'silent', FAKE_SERVE_LIFETIME_MS: '3000' }), startTimeoutMs: 400 }),
    /was not ready within 400 ms .*daemon\.json.*see .*daemon\.log/,
  );
});
