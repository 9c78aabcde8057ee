// `$TETHER_HOME/daemon.json` tells local clients where the daemon listens and which token to
// present. Written atomically, private to the user, and removed by the daemon that wrote it.
import { join } from 'node:path';
import { isProcessAlive, readPrivateFile, removeIfPresent, replacePrivateFile } from './private-files';

export const DISCOVERY_FILE = 'daemon.json';
export const DISCOVERY_PROTOCOL_VERSION = 1;

export interface DiscoveryInfo {
  port: number;
  /** Where to connect; absent in files from daemons that only ever bound 127.0.0.1. */
  host?: string;
  pid: number;
  protocolVersion: typeof DISCOVERY_PROTOCOL_VERSION;
  token: string;
  version: string;
  startedAt: string;
}

export function discoveryPath(home: string): string {
  return join(home, DISCOVERY_FILE);
}

export function writeDiscovery(home: string, info: DiscoveryInfo): void {
  replacePrivateFile(discoveryPath(home), `${JSON.stringify(info, null, 2)}\n`);
}

function parseDiscovery(text: string): DiscoveryInfo | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const info = value as Partial<DiscoveryInfo>;
  const valid =
    Number.isInteger(info.port) && (info.port as number) > 0 && (info.port as number) < 65536 &&
    Number.isSafeInteger(info.pid) && (info.pid as number) > 0 &&
    info.protocolVersion === DISCOVERY_PROTOCOL_VERSION &&
    typeof info.token === 'string' && info.token.length > 0 &&
    typeof info.version === 'string' && typeof info.startedAt === 'string' &&
    (info.host === undefined || typeof info.host === 'string');
  return valid ? (info as DiscoveryInfo) : undefined;
}

/**
 * The running daemon for this home, or undefined when there is none: no file, a file that is
 * not a valid v1 record, or one whose process is gone (stale). Throws DaemonError('insecure_file')
 * when the file is a link or not private to this user: its token cannot be trusted.
 */
export function readDiscovery(home: string): DiscoveryInfo | undefined {
  const file = readPrivateFile(discoveryPath(home));
  const info = file && parseDiscovery(file.content);
  if (!info || !isProcessAlive(info.pid)) return undefined;
  return info;
}

/** Deletes the file only if it still describes this daemon (a successor may have replaced it). */
export function removeDiscovery(home: string, owner: { pid: number; token: string }): boolean {
  const path = discoveryPath(home);
  let file;
  try {
    file = readPrivateFile(path);
  } catch {
    // Not private means not written by us: leave it for the user.
    return false;
  }
  const info = file && parseDiscovery(file.content);
  if (!info || info.pid !== owner.pid || info.token !== owner.token) return false;
  removeIfPresent(path);
  return true;
}
