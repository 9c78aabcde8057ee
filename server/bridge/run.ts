// `tether acp` (without --standalone): the editor's stdio relayed to the shared daemon, which
// is started on first use. Loads neither the ACP SDK nor zod, so it answers initialize fast.
import { resolve } from 'node:path';
import { redirectConsoleToStderr } from '../log';
import { ensureDaemon } from './launcher';
import { Bridge } from './relay';
import { openSocket } from './socket';

export interface RunBridgeOptions {
  /** TETHER_HOME, where the daemon's discovery file lives. */
  home: string;
  /** The tether bundle that is running (started again as `serve`); default process.argv[1]. */
  script?: string;
  /** The daemon's environment; default this process's. */
  env?: NodeJS.ProcessEnv;
  /** How long a daemon started by the bridge has to come up. */
  startTimeoutMs?: number;
}

/** Relays process stdin/stdout to the daemon until stdin ends; resolves with the exit code. */
export function runBridge(options: RunBridgeOptions): Promise<number> {
  redirectConsoleToStderr();
  const script = options.script ?? process.argv[1];
  if (!script) throw new Error('cannot tell which tether script is running, so the daemon cannot be started');
  const launch = { home: options.home, script: resolve(script), env: options.env ?? process.env, startTimeoutMs: options.startTimeoutMs };
  const bridge = new Bridge({
    input: process.stdin,
    output: process.stdout,
    connect: async () => openSocket(await ensureDaemon(launch)),
  });
  return bridge.run();
}
