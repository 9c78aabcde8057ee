import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createLocalShellRunner } from '../../../server/tools/local-shell';
import { tempDir } from './helpers';

/** Whether `pid` is still running. A killed orphan can linger as a zombie until init reaps it: that counts as dead. */
function isAlive(pid: number): boolean {
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      return state !== 'Z' && state !== 'X';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

describe('createLocalShellRunner', () => {
  const ws = tempDir();
  const runner = createLocalShellRunner();
  const options = (overrides: Partial<Parameters<typeof runner.run>[1]> = {}) => ({
    cwd: ws,
    timeoutMs: 10_000,
    outputLimitBytes: 10_000,
    signal: new AbortController().signal,
    ...overrides,
  });

  it('runs in cwd and merges stdout and stderr in arrival order', async () => {
    const outcome = await runner.run('pwd; echo err >&2; sleep 0.05; echo out', options());
    assert.deepEqual(outcome, { exitCode: 0, signal: null, output: `${ws}\nerr\nout\n`, truncated: false, timedOut: false });
  });

  it('reports a non-zero exit code', async () => {
    const outcome = await runner.run('echo failing; exit 3', options());
    assert.equal(outcome.exitCode, 3);
    assert.equal(outcome.output, 'failing\n');
  });

  it('caps output, keeping head and tail', async () => {
    const outcome = await runner.run('echo FIRST; seq 1 100000; echo LAST', options({ outputLimitBytes: 200 }));
    assert.equal(outcome.truncated, true);
    assert.ok(outcome.output.startsWith('FIRST\n'));
    assert.ok(outcome.output.endsWith('100000\nLAST\n'));
    assert.match(outcome.output, /\[\.\.\. \d+ bytes truncated \.\.\.\]/);
  });

  it('kills the whole group on timeout, even children that ignore SIGTERM', async () => {
    const pidFile = join(ws, 'timeout-child.pid');
    const started = Date.now();
    const command = `sh -c 'trap "" TERM; sleep 30' & echo $! > ${pidFile}; wait`;
    const outcome = await runner.run(command, options({ timeoutMs: 300 }));
    assert.equal(outcome.timedOut, true);
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    const childPid = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(await waitUntil(() => !isAlive(childPid), 1500), 'the SIGTERM-immune child was killed');
  });

  it('kills the command and the children it spawned within a second of an abort', async () => {
    const pidFile = join(ws, 'abort-child.pid');
    const controller = new AbortController();
    const running = runner.run(`sleep 30 & echo $! > ${pidFile}; sleep 30`, options({ signal: controller.signal }));
    assert.ok(await waitUntil(() => readFileSync(pidFile, { flag: 'a+' }).length > 0, 2000), 'the child started');
    const childPid = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(isAlive(childPid));
    const abortedAt = Date.now();
    controller.abort();
    const outcome = await running;
    const elapsed = Date.now() - abortedAt;
    assert.ok(elapsed < 1000, `cancel took ${elapsed} ms`);
    assert.equal(outcome.signal, 'SIGKILL');
    assert.ok(await waitUntil(() => !isAlive(childPid), 200), 'the background child is gone');
  });

  it('does not wait for a background job that outlives the command', async () => {
    const pidFile = join(ws, 'bg-child.pid');
    const started = Date.now();
    const outcome = await runner.run(`sleep 5 & echo $! > ${pidFile}; echo done`, options());
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    assert.equal(outcome.exitCode, 0);
    assert.equal(outcome.output, 'done\n');
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
  });

  it('refuses to start when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(runner.run('echo never', options({ signal: controller.signal })));
  });
});
