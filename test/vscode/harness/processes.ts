// Ending the processes a real-VS-Code test starts, and checking that they are really gone:
// a leftover code-server or daemon would hold ports and files of the next run.
import { readFileSync } from 'node:fs';
import { discoveryPath, parseDiscovery, readDiscovery } from '../../../server/bridge/discovery';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** True while the process (or, for a negative id, any process of the group) exists. */
function alive(id: number): boolean {
  try {
    process.kill(id, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitGone(id: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (alive(id)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

function signal(id: number, name: NodeJS.Signals): void {
  try {
    process.kill(id, name);
  } catch {
    // gone between the check and the signal
  }
}

/**
 * SIGTERM, then (after graceMs) SIGTERM again — which makes Tether's daemon skip its shutdown
 * wait — and finally SIGKILL. `id` may be a negative process-group id. Throws if it survives.
 */
export async function terminate(id: number, what: string, graceMs = 3_000): Promise<void> {
  if (!alive(id)) return;
  signal(id, 'SIGTERM');
  if (await waitGone(id, graceMs)) return;
  signal(id, 'SIGTERM');
  if (await waitGone(id, 1_000)) return;
  signal(id, 'SIGKILL');
  if (!(await waitGone(id, 2_000))) throw new Error(`${what} (${id}) is still running after SIGKILL`);
}

/** The daemon the extension started under this TETHER_HOME (it runs detached, in its own group). */
export async function stopDaemon(tetherHome: string | undefined): Promise<void> {
  if (!tetherHome) return;
  // No record: no daemon was started, or it already exited (it removes daemon.json).
  const daemon = await readDiscovery(tetherHome);
  if (daemon) await terminate(daemon.pid, `Tether daemon of ${tetherHome}`);
}

/** Process groups still running, with the TETHER_HOME their daemon would be under. */
const running = new Map<number, string | undefined>();

/**
 * Last resort for a runner that exits early (an error, Ctrl-C): code-server is detached, so
 * nothing else would end it. Synchronous, as 'exit' handlers must be.
 */
function killLeftovers(): void {
  for (const [group, tetherHome] of running) {
    signal(-group, 'SIGKILL');
    if (!tetherHome) continue;
    try {
      const daemon = parseDiscovery(JSON.parse(readFileSync(discoveryPath(tetherHome), 'utf8')));
      if (daemon) signal(daemon.pid, 'SIGTERM');
    } catch {
      // no daemon
    }
  }
}

let exitHooked = false;

export function trackGroup(group: number, tetherHome: string | undefined): void {
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', killLeftovers);
    for (const [name, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) process.once(name, () => process.exit(code));
  }
  running.set(group, tetherHome);
}

export function untrackGroup(group: number): void {
  running.delete(group);
}
