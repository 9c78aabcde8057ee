// Escape attempts through the sandboxed shell that target the network, privileges, other
// processes and the environment, plus the policies at either end (read-only, full access).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { policyForMode } from '../../../server/sandbox/policy';
import { assertAbsent, assertRefused, assertUntouched, FAKE_SECRETS, makeFixture, READ_ONLY, requireSandbox, sandboxRunner } from './helpers';

function listen(received: string[]): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.on('data', (chunk) => received.push(chunk.toString())));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}

/** Host processes whose command line contains `marker`. */
function hostProcessesWith(marker: string): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
    } catch {
      return false;
    }
  }).map(Number);
}

const NODE_CONNECT = (port: number): string =>
  `node -e "require('net').connect(${port},'127.0.0.1').on('connect',()=>{console.log('CONNECTED');process.exit(0)}).on('error',(e)=>{console.log('connect failed: '+e.code);process.exit(3)})"`;

describe('sandbox escapes: network, privileges, processes, environment', { skip: process.platform !== 'linux' && 'bubblewrap is Linux only' }, () => {
  requireSandbox();
  const fx = makeFixture();
  const sh = sandboxRunner(fx);
  const received: string[] = [];
  let port = 0;
  let server: Server | undefined;
  before(async () => ({ server, port } = await listen(received)));
  after(() => server?.close());

  it('cannot reach a server on the host loopback with network off (node socket)', async () => {
    const outcome = await sh(NODE_CONNECT(port));
    assertRefused(outcome, /connect failed: ECONNREFUSED/);
    assert.deepEqual(received, []);
  });

  it('cannot reach it through bash /dev/tcp either', async () => {
    const outcome = await sh(`bash -c 'echo smuggled > /dev/tcp/127.0.0.1/${port}'`);
    assertRefused(outcome, /Connection refused/);
    assert.deepEqual(received, []);
  });

  it('reaches the server when network is allowed (control)', async () => {
    const outcome = await sh(`bash -c 'echo allowed > /dev/tcp/127.0.0.1/${port}'`, { network: true });
    assert.equal(outcome.exitCode, 0, outcome.output);
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(received, ['allowed\n']);
  });

  it('resolves localhost from /etc/hosts but has no resolver for other names', async () => {
    assert.equal((await sh('getent hosts localhost')).exitCode, 0);
    const outcome = await sh(`node -e "require('dns').lookup('example.com',(e)=>{console.log(e?'lookup failed: '+e.code:'RESOLVED');process.exit(e?4:0)})"`);
    assertRefused(outcome, /lookup failed: (EAI_AGAIN|ENOTFOUND)/);
  });

  it('cannot mount over a directory outside', async () => {
    const outcome = await sh(`mount -t tmpfs none ${fx.outside}`);
    assertRefused(outcome, /permission denied|must be superuser|not permitted/i);
    assertUntouched(fx);
  });

  it('cannot remount the root read-write', async () => {
    const outcome = await sh(`mount -o remount,rw / && touch /etc/tether-remount-${process.pid}`);
    assertRefused(outcome, /permission denied|must be superuser|not permitted/i);
    assertAbsent(`/etc/tether-remount-${process.pid}`);
  });

  it('cannot create a user namespace to regain capabilities', async () => {
    const outcome = await sh(`unshare -rm sh -c 'mount -o remount,rw / && touch /etc/tether-unshare-${process.pid}'`);
    assertRefused(outcome, /unshare failed/);
    assertAbsent(`/etc/tether-unshare-${process.pid}`);
  });

  it('cannot chroot', async () => {
    const outcome = await sh('chroot / true');
    assertRefused(outcome, /Operation not permitted/);
  });

  it('cannot signal a process outside (pid namespace)', async () => {
    const victim = spawn('sleep', ['30'], { stdio: 'ignore' });
    after(() => victim.kill('SIGKILL'));
    const outcome = await sh(`kill -9 ${victim.pid}`);
    assertRefused(outcome, /No such process/);
    assert.equal(victim.exitCode, null);
    assert.equal(victim.signalCode, null);
    assertRefused(await sh(`cat /proc/${process.pid}/environ`), /No such file or directory/);
  });

  it('kills every process of a timed-out command, background jobs included', async () => {
    const marker = `${Math.floor(Math.random() * 1e6) + 1000}.25`;
    const outcome = await sh(`sleep ${marker} & sleep ${marker}`, { timeoutMs: 500 });
    assert.equal(outcome.timedOut, true);
    for (let i = 0; i < 50 && hostProcessesWith(marker).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(hostProcessesWith(marker), []);
  });

  it('sees no secrets in the environment', async () => {
    const outcome = await sh('env');
    assert.equal(outcome.exitCode, 0);
    assert.match(outcome.output, /^PATH=/m);
    for (const [name, value] of Object.entries(FAKE_SECRETS)) {
      assert.doesNotMatch(outcome.output, new RegExp(`${name}|${value}`));
    }
    assertRefused(await sh('env | grep -E "API_KEY|TOKEN|SECRET|PASSWORD"'), /^$/);
  });

  it('read-only policy: cannot write even the private /tmp back to the host or the workspace', async () => {
    const outcome = await sh(`echo x > ${fx.ws}/ro-abs.txt`, { policy: 'read-only' });
    assertRefused(outcome, READ_ONLY);
    assertAbsent(join(fx.ws, 'ro-abs.txt'));
  });

  it('full-access writes outside, and only an explicit opt-in selects it', async () => {
    const target = join(fx.outside, 'full-access.txt');
    after(() => rmSync(target, { force: true }));
    const outcome = await sh(`echo x > ${target} && env`, { policy: 'full-access' });
    assert.equal(outcome.exitCode, 0, outcome.output);
    assert.ok(existsSync(target));
    assert.doesNotMatch(outcome.output, /API_KEY|sk-fake/);
    for (const mode of ['default', 'accept-edits', 'plan', 'bypass'] as const) assert.notEqual(policyForMode(mode), 'full-access');
    assert.equal(policyForMode('default', true), 'full-access');
    assert.equal(policyForMode('plan', true), 'read-only');
  });
});
