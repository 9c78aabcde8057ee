// One daemon per TETHER_HOME: `daemon.lock` holds the owner's pid for the daemon's lifetime.
// The lock is published with link(), which fails if the name exists, so the file never appears
// empty; a lock whose pid is gone is moved aside and deleted only if it is the file we judged.
import { linkSync, lstatSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { DaemonError } from './errors';
import { isProcessAlive, readPrivateFile, removeIfPresent, uniqueSibling, writeNewPrivateFile } from './private-files';

export const LOCK_FILE = 'daemon.lock';
const MAX_ATTEMPTS = 5;

export interface DaemonLock {
  readonly path: string;
  /** Deletes the lock if it is still ours. Idempotent. */
  release(): void;
}

export type LockOutcome = { kind: 'acquired'; lock: DaemonLock } | { kind: 'held'; pid: number; path: string };

interface Holder {
  pid: number | undefined;
  ino: number;
}

export function lockPath(home: string): string {
  return join(home, LOCK_FILE);
}

export function acquireDaemonLock(home: string): LockOutcome {
  const path = lockPath(home);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const created = tryCreate(path);
    if (created !== undefined) return { kind: 'acquired', lock: ownedLock(path, created) };
    const holder = readHolder(path);
    // Gone between our link and our read: its owner released it, so try again.
    if (!holder) continue;
    if (holder.pid !== undefined && isProcessAlive(holder.pid)) return { kind: 'held', pid: holder.pid, path };
    breakStale(path, holder.ino);
  }
  throw new DaemonError('lock_failed', `Could not take ${path} after ${MAX_ATTEMPTS} attempts; another daemon may be starting.`);
}

/** The new lock's inode, or undefined if a lock already exists. */
function tryCreate(path: string): number | undefined {
  const temp = uniqueSibling(path, 'new');
  writeNewPrivateFile(temp, `${process.pid}\n`);
  try {
    linkSync(temp, path);
    return lstatSync(path).ino;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  } finally {
    removeIfPresent(temp);
  }
}

function readHolder(path: string): Holder | undefined {
  const file = readPrivateFile(path);
  if (!file) return undefined;
  const pid = Number(file.content.trim());
  return { pid: Number.isSafeInteger(pid) && pid > 0 ? pid : undefined, ino: file.stats.ino };
}

/**
 * Moves the stale lock aside, then checks it is the very file judged stale. If another starter
 * replaced it meanwhile, the fresh lock is put back (link fails if yet another one exists).
 */
function breakStale(path: string, staleIno: number): void {
  const aside = uniqueSibling(path, 'stale');
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    if (lstatSync(aside).ino !== staleIno) linkSync(aside, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    removeIfPresent(aside);
  }
}

function ownedLock(path: string, ino: number): DaemonLock {
  let held = true;
  return {
    path,
    release() {
      if (!held) return;
      held = false;
      try {
        if (lstatSync(path).ino === ino) removeIfPresent(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    },
  };
}
