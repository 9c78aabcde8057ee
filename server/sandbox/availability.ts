// Whether bubblewrap can confine commands on this machine, found once by running a trivial
// sandboxed `true` with the same namespaces a real command gets. The answer says why not in
// words a user can act on.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export type SandboxStatus =
  | { available: true; bwrapPath: string }
  | { available: false; reason: 'unsupported-platform' | 'missing' | 'userns-disabled' | 'failed'; notice: string };

export interface DetectOptions {
  /** A bwrap binary to use instead of the one on PATH. */
  bwrapPath?: string;
  timeoutMs?: number;
}

const PROBE_TIMEOUT_MS = 3000;
const PROBE_ARGS = [
  '--unshare-user', '--cap-drop', 'ALL', '--disable-userns', '--unshare-pid', '--unshare-ipc', '--unshare-net',
  '--die-with-parent', '--new-session', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp',
  '--', 'true',
];
const INSTALL_HINT = 'install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap)';
const ASK_NOTE = 'Shell commands will run unconfined, so Tether asks before every command.';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findBwrap(env: NodeJS.ProcessEnv = process.env): string | null {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const dir of [...dirs, '/usr/bin', '/usr/local/bin']) {
    const candidate = join(dir, 'bwrap');
    if (executable(candidate)) return candidate;
  }
  return null;
}

/** Turns a failed probe's stderr into the reason a user can fix. */
export function explainProbeFailure(stderr: string): SandboxStatus & { available: false } {
  const text = stderr.trim();
  if (/namespace|uid map|setting up uid|Operation not permitted|No permissions/i.test(text)) {
    return {
      available: false,
      reason: 'userns-disabled',
      notice: `The sandbox cannot start: this system does not allow user namespaces (bwrap said: ${text || 'nothing'}). Enable them (sysctl kernel.unprivileged_userns_clone=1, or an AppArmor profile for bwrap). ${ASK_NOTE}`,
    };
  }
  return { available: false, reason: 'failed', notice: `The sandbox cannot start: bwrap failed (${text || 'no message'}). ${ASK_NOTE}` };
}

function probe(bwrapPath: string, timeoutMs: number): Promise<SandboxStatus> {
  return new Promise((resolve) => {
    execFile(bwrapPath, PROBE_ARGS, { timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, _stdout, stderr) => {
      if (!error) return resolve({ available: true, bwrapPath });
      if ((error as { killed?: boolean }).killed) {
        return resolve({ available: false, reason: 'failed', notice: `The sandbox cannot start: bwrap did not finish within ${timeoutMs} ms. ${ASK_NOTE}` });
      }
      resolve(explainProbeFailure(String(stderr) || error.message));
    });
  });
}

/** Detects without caching; `sandboxAvailability` is the cached form sessions use. */
export async function detectSandbox(options: DetectOptions = {}): Promise<SandboxStatus> {
  if (process.platform !== 'linux') {
    return { available: false, reason: 'unsupported-platform', notice: `No command sandbox exists yet on ${process.platform}. ${ASK_NOTE}` };
  }
  const bwrapPath = options.bwrapPath ?? findBwrap();
  if (bwrapPath === null || !executable(bwrapPath)) {
    return { available: false, reason: 'missing', notice: `The sandbox needs bubblewrap (bwrap), which is not installed: ${INSTALL_HINT}. ${ASK_NOTE}` };
  }
  return probe(bwrapPath, options.timeoutMs ?? PROBE_TIMEOUT_MS);
}

const cache = new Map<string, Promise<SandboxStatus>>();

/** The detection result for this process, computed once per bwrap path. */
export function sandboxAvailability(options: DetectOptions = {}): Promise<SandboxStatus> {
  const key = options.bwrapPath ?? '';
  let status = cache.get(key);
  if (!status) {
    status = detectSandbox(options);
    cache.set(key, status);
  }
  return status;
}
