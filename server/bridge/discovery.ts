// Finding a running daemon: `$TETHER_HOME/daemon.json` names it, but a file can outlive its
// process (SIGKILL, reboot) and a pid can be reused, so the pid must be alive and the port
// must answer /healthz before the bridge trusts it.
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';

export const DISCOVERY_FILE = 'daemon.json';
export const DAEMON_LOG_FILE = 'daemon.log';
export const DISCOVERY_PROTOCOL_VERSION = 1;

export interface DaemonInfo {
  port: number;
  /** Where to connect; 127.0.0.1 when the file does not say. */
  host: string;
  pid: number;
  token: string;
  protocolVersion: number;
  version?: string;
  startedAt?: string;
}

export function discoveryPath(home: string): string {
  return join(home, DISCOVERY_FILE);
}

export function daemonLogPath(home: string): string {
  return join(home, DAEMON_LOG_FILE);
}

/** The discovery record if the file exists and has the fields the bridge needs. */
export async function readDiscovery(home: string): Promise<DaemonInfo | undefined> {
  let text: string;
  try {
    text = await readFile(discoveryPath(home), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return parseDiscovery(JSON.parse(text));
  } catch {
    return undefined; // Being written right now, or garbage: both mean "not usable yet".
  }
}

export function parseDiscovery(value: unknown): DaemonInfo | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const { port, pid, token, protocolVersion } = record;
  if (!Number.isInteger(port) || (port as number) <= 0 || (port as number) > 65535) return undefined;
  if (!Number.isInteger(pid) || (pid as number) <= 0) return undefined;
  if (typeof token !== 'string' || token === '' || typeof protocolVersion !== 'number') return undefined;
  return {
    port: port as number,
    host: typeof record.host === 'string' && record.host !== '' ? record.host : '127.0.0.1',
    pid: pid as number,
    token,
    protocolVersion,
    version: typeof record.version === 'string' ? record.version : undefined,
    startedAt: typeof record.startedAt === 'string' ? record.startedAt : undefined,
  };
}

export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `host` as it goes in a URL (IPv6 in brackets). */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * True when GET /healthz answers 2xx within `timeoutMs`, and its JSON body (if any) neither
 * says `ok: false` (stopping) nor names another pid (the port now belongs to someone else).
 */
export function checkHealth(daemon: Pick<DaemonInfo, 'host' | 'port' | 'pid'>, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const options = { host: daemon.host, port: daemon.port, path: '/healthz', method: 'GET', timeout: timeoutMs };
    const req = request(options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300 && healthBodyAgrees(body, daemon.pid)));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

function healthBodyAgrees(body: string, pid: number): boolean {
  let health: unknown;
  try {
    health = JSON.parse(body);
  } catch {
    return true; // Not JSON: the status code is all there is to go by.
  }
  const { ok, pid: reported } = (health ?? {}) as { ok?: unknown; pid?: unknown };
  return ok !== false && (typeof reported !== 'number' || reported === pid);
}

/** A daemon that is running and answering, or undefined. */
export async function findDaemon(home: string, healthTimeoutMs?: number): Promise<DaemonInfo | undefined> {
  const info = await readDiscovery(home);
  if (!info || !isPidAlive(info.pid)) return undefined;
  if (info.protocolVersion !== DISCOVERY_PROTOCOL_VERSION) {
    throw new Error(
      `the Tether daemon (pid ${info.pid}) speaks discovery protocol ${info.protocolVersion}, this tether speaks ${DISCOVERY_PROTOCOL_VERSION}; ` +
        `stop it (kill ${info.pid}) so a matching one can start`,
    );
  }
  return (await checkHealth(info, healthTimeoutMs)) ? info : undefined;
}
