// Debian's Chromium driven by playwright-core (no browser download), headless, fresh profile,
// with its XDG folders (crash reports, caches) inside the run folder. Not its TMPDIR: Chromium
// puts a unix socket there and aborts when the path passes the ~107-byte limit, which a run
// folder deep in a checkout does; it removes that socket folder when it exits.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { isolatedEnv } from './code-server';

export async function launchBrowser(runDir: string): Promise<BrowserContext> {
  const profile = join(runDir, 'chromium-profile');
  mkdirSync(profile, { recursive: true });
  const { TMPDIR: _runTmp, ...isolated } = isolatedEnv(runDir, {});
  const env = Object.fromEntries(Object.entries({ ...isolated, TMPDIR: process.env.TMPDIR }).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.TETHER_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    env,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
