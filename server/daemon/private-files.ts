// Files only this user may touch: the daemon's token lives in them, so they are created 0600,
// replaced atomically, opened without following links, and refused when someone else owns them.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { DaemonError } from './errors';

/** Owner and mode checks need POSIX ids; elsewhere (Windows) they are skipped. */
const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;

/** Creates TETHER_HOME as 0700 if missing; refuses one that another user could write into. */
export function ensurePrivateHome(home: string): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  if (uid === undefined) return;
  const stats = statSync(home);
  if (stats.uid !== uid) throw new DaemonError('insecure_home', `${home} belongs to uid ${stats.uid}, not to this user (${uid}).`);
  if ((stats.mode & 0o022) !== 0) {
    throw new DaemonError('insecure_home', `${home} is writable by other users (mode ${(stats.mode & 0o777).toString(8)}); run: chmod 700 ${home}`);
  }
}

/** A name next to `target` that no other process will pick. */
export function uniqueSibling(target: string, tag: string): string {
  return `${target}.${tag}.${process.pid}.${randomBytes(4).toString('hex')}`;
}

/** Writes a new 0600 file that must not exist yet (O_EXCL), flushed to disk. */
export function writeNewPrivateFile(path: string, content: string): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    // The umask may only have removed bits, but say exactly what we mean.
    if (uid !== undefined) fchmodSync(fd, 0o600);
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replaces `path` atomically: readers see the old file or the whole new one. */
export function replacePrivateFile(path: string, content: string): void {
  const temp = uniqueSibling(path, 'tmp');
  try {
    writeNewPrivateFile(temp, content);
    renameSync(temp, path);
  } catch (error) {
    removeIfPresent(temp);
    throw error;
  }
}

export interface PrivateFile {
  content: string;
  stats: Stats;
}

/**
 * Reads a file that must be a regular file owned by this user with no group/other bits.
 * Undefined when missing; DaemonError('insecure_file') when it is not private.
 */
export function readPrivateFile(path: string): PrivateFile | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw new DaemonError('insecure_file', `${path} is a symbolic link; remove it.`);
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new DaemonError('insecure_file', `${path} is not a regular file; remove it.`);
    if (uid !== undefined && stats.uid !== uid) throw new DaemonError('insecure_file', `${path} belongs to uid ${stats.uid}, not to this user; remove it.`);
    if (uid !== undefined && (stats.mode & 0o077) !== 0) {
      throw new DaemonError('insecure_file', `${path} is readable or writable by other users (mode ${(stats.mode & 0o777).toString(8)}); remove it.`);
    }
    return { content: readFileSync(fd, 'utf8'), stats };
  } finally {
    closeSync(fd);
  }
}

export function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** True while a process with this id exists (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  // 0 and negative ids address process groups, never one daemon.
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
