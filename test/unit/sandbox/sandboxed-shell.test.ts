import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { detectSandbox, explainProbeFailure } from '../../../server/sandbox/availability';
import { createSandboxedShellRunner, SandboxUnavailableError, shellQuote } from '../../../server/sandbox/sandboxed-shell';
import { createLocalShellRunner } from '../../../server/tools/local-shell';
import type { ShellRunner } from '../../../server/tools/types';

describe('sandboxed shell: fallback and availability', () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'tether-sbx-')));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const runOptions = { cwd: dir, timeoutMs: 5000, outputLimitBytes: 4096, signal: new AbortController().signal };
  const calls: string[] = [];
  const spy: ShellRunner = { run: async (command) => (calls.push(command), { exitCode: 0, signal: null, output: '', truncated: false, timedOut: false }) };

  it('never runs the command unconfined when the sandbox is unavailable', async () => {
    const status = { available: false as const, reason: 'missing' as const, notice: 'The sandbox needs bubblewrap (bwrap), which is not installed.' };
    const runner = createSandboxedShellRunner({ policy: 'workspace-write', roots: { cwd: dir, additionalDirectories: [] }, network: false, fallback: spy, availability: async () => status });
    await assert.rejects(runner.run('touch x', runOptions), (error: unknown) => error instanceof SandboxUnavailableError && error.status.reason === 'missing' && /bubblewrap/.test(error.message));
    assert.deepEqual(calls, []);
  });

  it('reports a missing binary and a failing one in words for the user', async () => {
    const missing = await detectSandbox({ bwrapPath: join(dir, 'no-such-bwrap') });
    assert.equal(missing.available, false);
    if (process.platform !== 'linux') return;
    assert.match(missing.available ? '' : missing.notice, /not installed.*apt-get install bubblewrap.*asks before every command/);
    const broken = join(dir, 'broken-bwrap');
    writeFileSync(broken, '#!/bin/sh\necho "bwrap: No permissions to create new namespace" >&2\nexit 1\n');
    chmodSync(broken, 0o755);
    const status = await detectSandbox({ bwrapPath: broken });
    assert.equal(status.available ? '' : status.reason, 'userns-disabled');
    assert.equal(explainProbeFailure('bwrap: something odd').reason, 'failed');
  });

  it('quotes any word so /bin/sh reads it back unchanged', async () => {
    const words = ['plain', "it's", 'a b', '$(id)', '`x`', '"q"', '', 'semi;colon', 'new\nline'];
    const outcome = await createLocalShellRunner().run(`printf '%s|' ${words.map(shellQuote).join(' ')}`, runOptions);
    assert.equal(outcome.output, `${words.join('|')}|`);
  });

  it('passes the command through bwrap with quoting intact', { skip: process.platform !== 'linux' }, async () => {
    const runner = createSandboxedShellRunner({ policy: 'workspace-write', roots: { cwd: dir, additionalDirectories: [] }, network: false, fallback: createLocalShellRunner() });
    const outcome = await runner.run(`printf '%s\\n' "it's" '$HOME' && pwd && exit 7`, runOptions);
    assert.equal(outcome.exitCode, 7);
    assert.equal(outcome.output, `it's\n$HOME\n${dir}\n`);
  });

  it('throws at once for an aborted signal without starting anything', async () => {
    const runner = createSandboxedShellRunner({ policy: 'full-access', roots: { cwd: dir, additionalDirectories: [] }, network: false, fallback: spy });
    const controller = new AbortController();
    controller.abort();
    const before = calls.length;
    await assert.rejects(runner.run('true', { ...runOptions, signal: controller.signal }));
    assert.equal(calls.length, before);
  });
});
