// Makes sure a daemon runs: reuse the one the discovery file names, else start `tether serve`
// detached (it outlives this editor) and wait for it to announce itself.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync } from 'node:fs';
import { daemonLogPath, discoveryPath, findDaemon, type DaemonInfo } from './discovery';

export interface LaunchOptions {
  home: string;
  /** The tether bundle to run as `node <script> serve`. */
  script: string;
  /** Environment of the daemon (the bridge's own, so it sees the same provider settings). */
  env: NodeJS.ProcessEnv;
  /** How long a started daemon has to write a usable discovery file. */
  startTimeoutMs?: number;
  pollMs?: number;
}

const DEFAULT_START_TIMEOUT_MS = 15_000;
/** `tether serve` exits 0 when another daemon holds the lock: someone else won the start race. */
const EXIT_ALREADY_RUNNING = 0;
/** A log past this size is moved to daemon.log.1 when the next daemon starts. */
const LOG_ROTATE_BYTES = 5 * 1024 * 1024;

export async function ensureDaemon(options: LaunchOptions): Promise<DaemonInfo> {
  const running = await findDaemon(options.home);
  if (running) return running;
  // The daemon's stderr goes to a file: nobody sees a detached process's stderr, and editors
  // launched from a GUI show little of the bridge's.
  const logFd = openDaemonLog(options.home);
  let exit: { code: number | null; text: string } | undefined;
  try {
    const child = spawn(process.execPath, [options.script, 'serve'], { detached: true, stdio: ['ignore', 'ignore', logFd], env: options.env });
    child.on('exit', (code, signal) => (exit = { code, text: signal ? `was killed by ${signal}` : `exited with code ${code}` }));
    child.on('error', (error) => (exit = { code: null, text: `could not start: ${error.message}` }));
    child.unref();
    return await waitForDaemon(options, child.pid, () => exit);
  } finally {
    closeSync(logFd);
  }
}

function openDaemonLog(home: string): number {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const path = daemonLogPath(home);
  if ((statSync(path, { throwIfNoEntry: false })?.size ?? 0) > LOG_ROTATE_BYTES) renameSync(path, `${path}.1`);
  return openSync(path, 'a', 0o600);
}

/**
 * Polls until a daemon answers. It may not be ours: when several editors start at once one
 * daemon wins and the others exit 0, so only another exit is a failure (after a short grace).
 */
async function waitForDaemon(options: LaunchOptions, pid: number | undefined, exited: () => { code: number | null; text: string } | undefined): Promise<DaemonInfo> {
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let failedAt: number | undefined;
  for (;;) {
    const found = await findDaemon(options.home);
    if (found) return found;
    const exit = exited();
    if (exit && exit.code !== EXIT_ALREADY_RUNNING) failedAt ??= Date.now();
    const graceOver = failedAt !== undefined && Date.now() - failedAt > 500;
    if (graceOver || Date.now() > deadline) throw new Error(startFailure(options, pid, exit?.text, timeoutMs));
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 25));
  }
}

function startFailure(options: LaunchOptions, pid: number | undefined, exit: string | undefined, timeoutMs: number): string {
  const what = exit ? `\`tether serve\` (pid ${pid ?? '?'}) ${exit} before it was ready` : `\`tether serve\` (pid ${pid ?? '?'}) was not ready within ${timeoutMs} ms`;
  const log = daemonLogPath(options.home);
  const where = existsSync(log) ? `see ${log}` : `run \`tether serve\` in a terminal to see why`;
  return `could not start the Tether daemon: ${what} (waiting for ${discoveryPath(options.home)}); ${where}`;
}
