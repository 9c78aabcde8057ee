// Fixture for the sandbox tests: a workspace, an outside directory, another session's
// workspace and a TETHER_HOME, all under /var/tmp so the sandbox's private /tmp is not what
// hides them: the outside stays visible (read-only) and the tests exercise the real binds.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { sandboxAvailability } from '../../../server/sandbox/availability';
import { createSandboxedShellRunner, type SandboxedShellOptions } from '../../../server/sandbox/sandboxed-shell';
import { createLocalShellRunner } from '../../../server/tools/local-shell';
import type { ShellOutcome } from '../../../server/tools/types';

export interface Fixture {
  base: string;
  ws: string;
  outside: string;
  secret: string;
  other: string;
  home: string;
  tetherHome: string;
}

export const SECRET_TEXT = 'outside\n';
export const FAKE_SECRETS = { OPENAI_API_KEY: 'sk-fake-1', ANTHROPIC_API_KEY: 'sk-fake-2', GITHUB_TOKEN: 'ghp-fake', AWS_SECRET_ACCESS_KEY: 'aws-fake', SSH_AUTH_SOCK: '/tmp/agent.sock', TETHER_TOKEN: 'tt-fake', DB_PASSWORD: 'pw-fake' };

export function makeFixture(): Fixture {
  const base = realpathSync(mkdtempSync('/var/tmp/tether-escape-'));
  after(() => rmSync(base, { recursive: true, force: true }));
  const fx: Fixture = {
    base,
    ws: join(base, 'ws'),
    outside: join(base, 'outside'),
    secret: join(base, 'outside', 'secret.txt'),
    other: join(base, 'other-session'),
    home: join(base, 'home'),
    tetherHome: join(base, 'tether-home'),
  };
  for (const dir of [fx.ws, join(fx.ws, '.git', 'hooks'), fx.outside, fx.other, fx.home, fx.tetherHome]) mkdirSync(dir, { recursive: true });
  writeFileSync(fx.secret, SECRET_TEXT);
  writeFileSync(join(fx.ws, '.git', 'config'), '[core]\n');
  writeFileSync(join(fx.ws, 'existing.txt'), 'inside\n');
  writeFileSync(join(fx.other, 'notes.txt'), 'other session\n');
  writeFileSync(join(fx.tetherHome, 'daemon.json'), '{"token":"t"}\n');
  return fx;
}

/** Fails the suite (rather than skipping it) on Linux when bwrap cannot run: CI must have it. */
export function requireSandbox(): void {
  before(async () => {
    const status = await sandboxAvailability();
    assert.ok(status.available, status.available ? '' : status.notice);
  });
}

export type Run = (command: string, overrides?: Partial<SandboxedShellOptions> & { timeoutMs?: number }) => Promise<ShellOutcome>;

/** A runner over the fixture: workspace-write, no network, secrets planted in its env. */
export function sandboxRunner(fx: Fixture): Run {
  const fallback = createLocalShellRunner();
  return (command, overrides = {}) => {
    const runner = createSandboxedShellRunner({
      policy: 'workspace-write',
      roots: { cwd: fx.ws, additionalDirectories: [] },
      network: false,
      fallback,
      hiddenPaths: () => [fx.other, fx.tetherHome],
      env: { ...process.env, HOME: fx.home, ...FAKE_SECRETS },
      ...overrides,
    });
    return runner.run(command, { cwd: fx.ws, timeoutMs: overrides.timeoutMs ?? 15_000, outputLimitBytes: 64 * 1024, signal: new AbortController().signal });
  };
}

/** The command failed and its output says why, in the words of `reason`. */
export function assertRefused(outcome: ShellOutcome, reason: RegExp): void {
  assert.notEqual(outcome.exitCode, 0, `expected a failure, got exit 0 with: ${outcome.output}`);
  assert.match(outcome.output, reason);
}

export function assertUntouched(fx: Fixture): void {
  assert.equal(readFileSync(fx.secret, 'utf8'), SECRET_TEXT);
}

export function assertAbsent(path: string): void {
  assert.equal(existsSync(path), false, `${path} must not exist`);
}

export const READ_ONLY = /Read-only file system/;
