// UI tests: the packaged extension (.vsix) installed in a fresh code-server per test, the
// panel driven by Playwright in Debian's Chromium, the scenario model behind the real daemon.
// Screenshots of each key state go to .tether-test/vscode-artifacts/<test>/NN-name.png.
// Usage: node --import tsx test/vscode/run-ui-tests.ts [name-filter…]
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsoleMessage } from 'playwright-core';
import { launchBrowser } from './harness/browser';
import { startCodeServer } from './harness/code-server';
import { packageVsix } from './harness/package-vsix';
import { ARTIFACTS, createRunContext, REPO } from './harness/run-context';
import { UI_TESTS, type UiTest } from './ui/scenarios';
import { Workbench } from './ui/workbench';

const TEST_TIMEOUT_MS = 90_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Console lines of the workbench and its webviews worth keeping: errors and warnings. */
function consoleLine(message: ConsoleMessage): string | undefined {
  if (message.type() !== 'error' && message.type() !== 'warning') return undefined;
  const text = message.text();
  if (/open-vsx\.org|vsda|ERR_NAME_NOT_RESOLVED/.test(text)) return undefined; // offline gallery noise
  return `[${message.type()}] ${text}`;
}

/** Everything one test starts, stopped in reverse order whatever failed. */
class Resources {
  private readonly stops: Array<() => Promise<unknown>> = [];

  add<T>(resource: T, stop: (resource: T) => Promise<unknown>): T {
    this.stops.push(() => stop(resource));
    return resource;
  }

  async stopAll(): Promise<void> {
    for (const stop of this.stops.reverse()) await stop().catch((error: unknown) => console.error(`  cleanup failed: ${String(error)}`));
  }
}

async function runOne(test: UiTest, vsix: string): Promise<boolean> {
  const started = Date.now();
  const resources = new Resources();
  const consoleLines: string[] = [];
  let workbench: Workbench | undefined;
  let runDir = '';
  let passed = false;
  try {
    const run = resources.add(await createRunContext(`ui-${test.name}`), (run) => run.close());
    runDir = run.runDir;
    resources.add(run.runDir, async (dir) => writeFileSync(join(dir, 'console.log'), `${consoleLines.join('\n')}\n`));
    const server = resources.add(await startCodeServer({ runDir, workspace: run.workspace, env: run.env, vsix }), (server) => server.stop());
    const browser = resources.add(await launchBrowser(runDir), (browser) => browser.close());
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.on('console', (message) => {
      const line = consoleLine(message);
      if (line) consoleLines.push(line);
    });
    page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));
    const wb = (workbench = new Workbench(page, server.url, run.workspace, join(ARTIFACTS, test.name)));
    await withTimeout((async () => {
      await wb.open();
      await test.run(wb, run.workspace);
    })(), TEST_TIMEOUT_MS);
    console.log(`✔ ${test.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    passed = true;
    return true;
  } catch (error) {
    console.error(`✖ ${test.name} (${((Date.now() - started) / 1000).toFixed(1)} s): ${(error as Error).stack ?? error}`);
    await workbench?.screenshot('failure').then((path) => console.error(`  screenshot: ${path}`), () => {});
    if (runDir) console.error(`  run folder (code-server.log, console.log, data/logs): ${runDir}`);
    return false;
  } finally {
    await resources.stopAll();
    if (passed) removeRunFolder(runDir);
  }
}

/** A passed test's run folder (~30 MB of profiles) goes; a failed one stays for its logs. */
function removeRunFolder(runDir: string): void {
  if (process.env.TETHER_VSCODE_KEEP !== '1') rmSync(runDir, { recursive: true, force: true });
}

async function main(): Promise<number> {
  const only = process.argv.slice(2);
  const tests = UI_TESTS.filter((test) => only.length === 0 || only.some((name) => test.name.includes(name)));
  const packageDir = join(REPO, '.tether-test', 'vscode', `ui-${process.pid}`);
  const vsix = packageVsix(join(packageDir, 'tether.vsix'));
  let failed = 0;
  for (const test of tests) if (!(await runOne(test, vsix))) failed++;
  rmSync(packageDir, { recursive: true, force: true });
  console.log(`UI tests: ${tests.length - failed} passed, ${failed} failed; screenshots in ${ARTIFACTS}`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
