// Runs shell commands on this machine when the editor offers no terminal. Each command gets
// its own process group, so a timeout or a cancel kills everything it started, not just /bin/sh.
import { spawn, type ChildProcess } from 'node:child_process';
import { sandboxEnv } from '../sandbox/env-filter';
import { HeadTailBuffer } from './truncate';
import type { ShellOutcome, ShellRunner } from './types';

/** Time a command gets to exit after SIGTERM on timeout before the group is killed outright. */
export const TERM_GRACE_MS = 500;
/**
 * After the shell exits, how long to wait for its output pipes to drain. A background job
 * (`server &`) can hold them open forever; past this the output is taken as complete.
 */
const DRAIN_GRACE_MS = 200;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

interface RunOptions {
  cwd: string;
  timeoutMs: number;
  outputLimitBytes: number;
  signal: AbortSignal;
}

function startCommand(command: string, cwd: string): ChildProcess {
  return spawn('/bin/sh', ['-c', command], {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Secrets (model keys, cloud credentials, agent sockets) never reach a command; see docs/sandbox.md.
    env: sandboxEnv(process.env),
  });
}

/** Resolves once the shell has exited and its output has drained (or the drain grace ran out). */
function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const done = (): void => resolve({ code, signal });
      const timer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        done();
      }, DRAIN_GRACE_MS);
      child.once('close', () => {
        clearTimeout(timer);
        done();
      });
    });
  });
}

async function runCommand(command: string, options: RunOptions): Promise<ShellOutcome> {
  options.signal.throwIfAborted();
  const child = startCommand(command, options.cwd);
  const output = new HeadTailBuffer(options.outputLimitBytes);
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
  let timedOut = false;
  const onAbort = (): void => killGroup(child, 'SIGKILL');
  options.signal.addEventListener('abort', onAbort, { once: true });
  const timeout = setTimeout(() => {
    timedOut = true;
    killGroup(child, 'SIGTERM');
    // Children that ignore SIGTERM must not outlive the timeout; runs even if the shell already exited.
    setTimeout(() => killGroup(child, 'SIGKILL'), TERM_GRACE_MS).unref();
  }, options.timeoutMs);
  try {
    const exit = await waitForExit(child);
    const collected = output.result();
    return { exitCode: exit.code, signal: exit.signal, output: collected.text, truncated: collected.truncated, timedOut };
  } finally {
    clearTimeout(timeout);
    options.signal.removeEventListener('abort', onAbort);
  }
}

/**
 * A ShellRunner on the local machine: `/bin/sh -c` in its own process group, stdout and stderr
 * merged in arrival order. Aborting `signal` kills the group at once and resolves with what ran;
 * an already aborted signal throws without starting anything.
 */
export function createLocalShellRunner(): ShellRunner {
  return { run: runCommand };
}
