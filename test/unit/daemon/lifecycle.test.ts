import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as acp from '@agentclientprotocol/sdk';
import { discoveryPath, readDiscovery, type DiscoveryInfo } from '../../../server/daemon/discovery';
import { lockPath } from '../../../server/daemon/lock';
import { VERSION } from '../../../server/version';
import { bearer, closed, openSocket, sdkClient, tempHome, until } from './helpers';

/** Socket tests fail instead of hanging when a close or an answer never comes. */
const TIMEOUT = 60_000;

const ENTRY = join(import.meta.dirname, 'daemon-entry.ts');

interface Daemon {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// Daemons a failed test left running are killed at the end, so no test leaves a process behind.
const spawned: ChildProcess[] = [];
after(() => {
  for (const child of spawned) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function spawnDaemon(home: string, args: string[] = []): Daemon {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    env: { ...process.env, TETHER_HOME: home, TETHER_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  spawned.push(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stderr: () => stderr, exit };
}

async function ready(home: string, daemon: Daemon): Promise<DiscoveryInfo> {
  let info: DiscoveryInfo | undefined;
  await until(() => {
    if (daemon.child.exitCode !== null) throw new Error(`daemon exited early: ${daemon.stderr()}`);
    info = readDiscovery(home);
    return info !== undefined;
  }, 20_000, 'daemon.json');
  return info as DiscoveryInfo;
}

test('tether serve: publishes daemon.json, serves ACP, and on SIGTERM closes clients with 1001, removes the file, exits 0', { timeout: TIMEOUT }, async () => {
  const home = tempHome();
  const daemon = spawnDaemon(home, ['--port', '0']);
  const info = await ready(home, daemon);
  assert.equal(info.pid, daemon.child.pid);
  assert.equal(info.protocolVersion, 1);
  assert.equal(info.version, VERSION);
  assert.match(info.token, /^[A-Za-z0-9_-]{43}$/);
  assert.ok(!Number.isNaN(Date.parse(info.startedAt)));
  const url = `ws://127.0.0.1:${info.port}/acp`;
  const client = sdkClient(url, bearer(info.token));
  await client.agent.request(acp.methods.agent.initialize, { protocolVersion: 1, clientCapabilities: {} });
  const session = await client.agent.request(acp.methods.agent.session.new, { cwd: tempHome(), mcpServers: [] });
  assert.equal(typeof session.sessionId, 'string');
  const watcher = await openSocket(url, { headers: bearer(info.token) });
  const watcherClosed = closed(watcher);
  daemon.child.kill('SIGTERM');
  assert.equal((await watcherClosed).code, 1001);
  assert.deepEqual(await daemon.exit, { code: 0, signal: null }, daemon.stderr());
  assert.ok(!existsSync(discoveryPath(home)), 'daemon.json removed');
  assert.ok(!existsSync(lockPath(home)), 'lock released');
  assert.match(daemon.stderr(), /SIGTERM: stopping/);
});

test('a second daemon on the same home refuses and leaves the first serving', { timeout: TIMEOUT }, async () => {
  const home = tempHome();
  const first = spawnDaemon(home);
  const info = await ready(home, first);
  const second = spawnDaemon(home);
  assert.deepEqual(await second.exit, { code: 0, signal: null });
  assert.match(second.stderr(), new RegExp(`already runs for .* \\(pid ${info.pid}, ws://127.0.0.1:${info.port}/acp\\); not starting another`));
  assert.deepEqual(readDiscovery(home), info, 'the first daemon still owns daemon.json');
  const health = await fetch(`http://127.0.0.1:${info.port}/healthz`);
  assert.equal(((await health.json()) as { pid: number }).pid, info.pid);
  first.child.kill('SIGINT');
  assert.equal((await first.exit).code, 0);
  assert.ok(!existsSync(discoveryPath(home)));
});

test('two daemons started together on one home: exactly one serves', { timeout: TIMEOUT }, async () => {
  const home = tempHome();
  const racers = [spawnDaemon(home), spawnDaemon(home)];
  const loser = await Promise.race(racers.map(async (racer) => (await racer.exit, racer)));
  const winner = racers.find((racer) => racer !== loser) as Daemon;
  assert.match(loser.stderr(), /already runs/);
  const info = await ready(home, winner);
  assert.equal(info.pid, winner.child.pid);
  winner.child.kill('SIGTERM');
  assert.equal((await winner.exit).code, 0);
});

test('bad options exit 2 with a clear message; a non-loopback host without allow-remote exits 1', { timeout: TIMEOUT }, async () => {
  const badPort = spawnDaemon(tempHome(), ['--port', 'eighty']);
  assert.equal((await badPort.exit).code, 2);
  assert.match(badPort.stderr(), /--port must be a port number.*\[bad_option\]/);
  const home = tempHome();
  const remote = spawnDaemon(home, ['--host', '0.0.0.0']);
  assert.equal((await remote.exit).code, 1);
  assert.match(remote.stderr(), /Refusing to listen on 0\.0\.0\.0.*\[remote_bind_refused\]/);
  assert.ok(!existsSync(lockPath(home)), 'the lock is released on a failed start');
});
