// Makes sure dist/server/tether.cjs exists and is newer than the sources before an e2e test
// spawns it. `npm test` builds first, so this normally does nothing; it saves someone running
// one e2e file by hand from testing a stale bundle. A lock keeps parallel test files from
// building at the same time.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
/** TETHER_E2E_BUNDLE points the e2e tests at another build (then nothing is rebuilt). */
export const SERVER_BUNDLE = process.env.TETHER_E2E_BUNDLE || join(REPO_ROOT, 'dist/server/tether.cjs');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (/\.(ts|js|json|md)$/.test(entry.name)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  if (!existsSync(SERVER_BUNDLE)) return false;
  return statSync(SERVER_BUNDLE).mtimeMs >= newestMtime(join(REPO_ROOT, 'server'));
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds the server bundle when it is missing or older than server/; throws if that fails. */
export function ensureBuilt(): void {
  if (process.env.TETHER_E2E_BUNDLE || isFresh()) return;
  const lock = join(REPO_ROOT, 'dist/.e2e-build-lock');
  mkdirSync(join(REPO_ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}; remove it if no build is running`);
      // A lock older than two minutes belongs to a build that died.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      sleep(100);
    }
  }
  try {
    if (isFresh()) return;
    const result = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (result.status !== 0 || !existsSync(SERVER_BUNDLE)) {
      throw new Error(`npm run build failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
