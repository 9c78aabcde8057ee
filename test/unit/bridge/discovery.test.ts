import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { checkHealth, findDaemon, isPidAlive, parseDiscovery, readDiscovery } from '../../../server/bridge/discovery';
import { FakeDaemon } from './fake-daemon';

const root = mkdtempSync(join(tmpdir(), 'tether-discovery-'));
after(() => rmSync(root, { recursive: true, force: true }));
let homes = 0;
const newHome = () => join(root, `home-${++homes}`);

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

test('a discovery record needs a port, a pid, a token and a protocol version', () => {
  const good = { port: 4000, pid: 10, token: 't', protocolVersion: 1, version: '1.0.0', startedAt: 'now' };
  assert.deepEqual(parseDiscovery(good), { ...good, host: '127.0.0.1' });
  assert.equal(parseDiscovery({ ...good, host: '::1' })?.host, '::1');
  assert.equal(parseDiscovery({ ...good, port: 0 }), undefined);
  assert.equal(parseDiscovery({ ...good, port: 70000 }), undefined);
  assert.equal(parseDiscovery({ ...good, pid: '10' }), undefined);
  assert.equal(parseDiscovery({ ...good, token: '' }), undefined);
  assert.equal(parseDiscovery({ ...good, protocolVersion: undefined }), undefined);
  assert.equal(parseDiscovery(null), undefined);
});

test('a missing or half-written discovery file reads as no daemon', async () => {
  const home = newHome();
  assert.equal(await readDiscovery(home), undefined);
  await FakeDaemon.start().then(async (daemon) => {
    daemon.writeDiscovery(home);
    writeFileSync(join(home, 'daemon.json'), '{"port": 12');
    assert.equal(await readDiscovery(home), undefined);
    await daemon.close();
  });
});

test('pids: this process is alive, an exited one is not', () => {
  assert.equal(isPidAlive(process.pid), true);
  assert.equal(isPidAlive(deadPid()), false);
});

test('a live, healthy daemon is found; a dead pid or a silent port is not', async () => {
  const daemon = await FakeDaemon.start();
  after(() => daemon.close());
  const home = newHome();
  daemon.writeDiscovery(home);
  assert.equal((await findDaemon(home))?.port, daemon.port);
  assert.equal(await checkHealth({ host: '127.0.0.1', port: daemon.port, pid: process.pid }), true);

  daemon.writeDiscovery(home, deadPid());
  assert.equal(await findDaemon(home), undefined, 'the pid is dead');

  const silent = await FakeDaemon.start();
  const port = silent.port;
  await silent.close();
  writeFileSync(join(home, 'daemon.json'), JSON.stringify({ port, pid: process.pid, token: 't', protocolVersion: 1 }));
  assert.equal(await checkHealth({ host: '127.0.0.1', port, pid: process.pid }, 500), false);
  assert.equal(await findDaemon(home, 500), undefined, 'nothing answers on the port');
});

test('a /healthz body that says stopping, or names another pid, is not healthy', async () => {
  const bodies = [JSON.stringify({ ok: false, pid: process.pid }), JSON.stringify({ ok: true, pid: process.pid + 1 }), JSON.stringify({ ok: true, pid: process.pid }), 'plain'];
  const server = createServer((_req, res) => res.writeHead(200).end(bodies.shift()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => server.close());
  const daemon = { host: '127.0.0.1', port: (server.address() as AddressInfo).port, pid: process.pid };
  assert.deepEqual([await checkHealth(daemon), await checkHealth(daemon), await checkHealth(daemon), await checkHealth(daemon)], [false, false, true, true]);
});

test('a daemon speaking another discovery protocol is an error that says how to stop it', async () => {
  const home = newHome();
  const daemon = await FakeDaemon.start({ home });
  after(() => daemon.close());
  writeFileSync(join(home, 'daemon.json'), JSON.stringify({ port: daemon.port, pid: process.pid, token: 't', protocolVersion: 2 }));
  await assert.rejects(findDaemon(home), new RegExp(`protocol 2.*kill ${process.pid}`));
});
