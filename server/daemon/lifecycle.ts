// `tether serve`: one daemon per TETHER_HOME, from lock to discovery file to signal to clean exit.
// Stopping: refuse new clients, close the rest with 1001, let the sessions finish their logs,
// then remove daemon.json and the lock. A second signal skips the wait.
import { loadConfig, type TetherConfig } from '../config';
import { log, redirectConsoleToStderr } from '../log';
import { SessionManager } from '../session/manager';
import { VERSION } from '../version';
import { discoveryPath, readDiscovery, removeDiscovery, writeDiscovery, DISCOVERY_PROTOCOL_VERSION } from './discovery';
import { DaemonError } from './errors';
import { acquireDaemonLock, type DaemonLock } from './lock';
import { ensurePrivateHome } from './private-files';
import { startDaemon, type DaemonLimits, type DaemonServer } from './server';
import { resolveDaemonSettings, SERVE_USAGE, type DaemonSettings } from './settings';

export interface RunDaemonOptions extends DaemonSettings {
  limits?: Partial<DaemonLimits>;
  /** Signals that stop the daemon; SIGTERM and SIGINT by default. */
  signals?: readonly NodeJS.Signals[];
  /** How long the sessions get to finish their logs before the daemon exits anyway (exit 1). */
  shutdownTimeoutMs?: number;
}

/** Exit code when a live daemon already serves this home: it is there, which is what was asked. */
export const EXIT_ALREADY_RUNNING = 0;
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

type Env = Record<string, string | undefined>;

/** Entry for `tether serve [--port N] [--host H] [--allow-remote]`; resolves to the exit code. */
export async function serveCommand(args: string[], env: Env = process.env): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${SERVE_USAGE}\n`);
    return 0;
  }
  redirectConsoleToStderr();
  try {
    return await runDaemon(loadConfig(env), resolveDaemonSettings(args, env));
  } catch (error) {
    if (!(error instanceof DaemonError)) throw error;
    log.error(`tether serve: ${error.message} [${error.code}]`);
    return error.code === 'bad_option' ? 2 : 1;
  }
}

export async function runDaemon(config: TetherConfig, options: RunDaemonOptions): Promise<number> {
  ensurePrivateHome(config.home);
  const outcome = acquireDaemonLock(config.home);
  if (outcome.kind === 'held') {
    log.info(describeRunning(config.home, outcome.pid, outcome.path));
    return EXIT_ALREADY_RUNNING;
  }
  try {
    return await serveUntilSignalled(config, options, outcome.lock);
  } finally {
    outcome.lock.release();
  }
}

function describeRunning(home: string, pid: number, lockFile: string): string {
  let where = 'still starting';
  try {
    const info = readDiscovery(home);
    if (info?.pid === pid) where = `ws://${info.host ?? '127.0.0.1'}:${info.port}/acp`;
  } catch (error) {
    where = (error as Error).message;
  }
  return `a tether daemon already runs for ${home} (pid ${pid}, ${where}); not starting another. ` +
    `If pid ${pid} is not tether, delete ${lockFile}.`;
}

async function serveUntilSignalled(config: TetherConfig, options: RunDaemonOptions, lock: DaemonLock): Promise<number> {
  const manager = new SessionManager(config);
  const { port, host, allowRemote, allowedOrigins, limits } = options;
  const server = await startDaemon({ config, manager, port, host, allowRemote, allowedOrigins, limits });
  const owner = { pid: process.pid, token: server.token };
  const cleanUp = () => removeDiscovery(config.home, owner);
  const stop = waitForSignal(options.signals ?? ['SIGTERM', 'SIGINT'], () => {
    log.warn('second signal: exiting without waiting for sessions');
    cleanUp();
    lock.release();
    process.exit(1);
  });
  try {
    publish(config.home, server);
    log.info(`daemon ready (pid ${process.pid}); clients find it in ${discoveryPath(config.home)}`);
    log.info(`${await stop.signal}: stopping`);
    return await stopServing(server, manager, options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS);
  } finally {
    await server.close();
    cleanUp();
    stop.dispose();
  }
}

function publish(home: string, server: DaemonServer): void {
  writeDiscovery(home, {
    port: server.port,
    host: server.host,
    pid: process.pid,
    protocolVersion: DISCOVERY_PROTOCOL_VERSION,
    token: server.token,
    version: VERSION,
    startedAt: new Date().toISOString(),
  });
}

async function stopServing(server: DaemonServer, manager: SessionManager, timeoutMs: number): Promise<number> {
  await server.close();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const result = await Promise.race([manager.shutdown().then(() => 'done' as const), timedOut]);
  clearTimeout(timer);
  if (result === 'timeout') {
    log.warn(`sessions did not finish within ${timeoutMs} ms; exiting anyway`);
    return 1;
  }
  log.info('stopped');
  return 0;
}

/** Resolves with the first of `signals`; any later one calls `onRepeat`. */
function waitForSignal(signals: readonly NodeJS.Signals[], onRepeat: () => void): { signal: Promise<NodeJS.Signals>; dispose(): void } {
  let received: NodeJS.Signals | undefined;
  let resolve: (signal: NodeJS.Signals) => void = () => undefined;
  const signal = new Promise<NodeJS.Signals>((done) => {
    resolve = done;
  });
  const handler = (name: NodeJS.Signals) => {
    if (received) return onRepeat();
    received = name;
    resolve(name);
  };
  for (const name of signals) process.on(name, handler);
  return { signal, dispose: () => signals.forEach((name) => process.off(name, handler)) };
}
