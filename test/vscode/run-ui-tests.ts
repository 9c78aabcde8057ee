// UI tests: the packaged extension (.vsix) installed in a fresh code-server per test, the
// panel driven by Playwright in Debian's Chromium, the scenario model behind the real daemon.
// Screenshots of each key state go to .tether-test/vscode-artifacts/<test>/.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from './harness/browser';
import { startCodeServer } from './harness/code-server';
import { ARTIFACTS, createRunContext, REPO } from './harness/run-context';
import { UI_TESTS } from './ui/scenarios';
import { Workbench } from './ui/workbench';

const TEST_TIMEOUT_MS = 120_000;

async function runOne(test: (typeof UI_TESTS)[number], vsix: string): Promise<boolean> {
  const started = Date.now();
  const run = await createRunContext(`ui-${test.name}`);
  const server = await startCodeServer({ runDir: run.runDir, workspace: run.workspace, env: run.env, vsix });
  const browser = await launchBrowser(run.runDir);
  const page = browser.pages()[0] ?? (await browser.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const workbench = new Workbench(page, server.url, run.workspace, join(ARTIFACTS, test.name));
  let timer: NodeJS.Timeout | undefined;
  try {
    await workbench.open();
    await Promise.race([
      test.run(workbench, run.workspace),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT_MS / 1000} s`)), TEST_TIMEOUT_MS))),
    ]);
    console.log(`✔ ${test.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return true;
  } catch (error) {
    console.error(`✖ ${test.name}: ${(error as Error).stack ?? error}`);
    await workbench.screenshot('failure').then((path) => console.error(`  screenshot: ${path}`), () => {});
    if (errors.length) console.error(`  page errors: ${errors.join(' | ')}`);
    console.error(`  logs: ${run.runDir}`);
    return false;
  } finally {
    clearTimeout(timer);
    await browser.close();
    await server.stop();
    await run.close();
  }
}

async function main(): Promise<number> {
  const vsix = join(REPO, 'dist', 'tether.vsix');
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first`);
  const only = process.argv.slice(2);
  const tests = UI_TESTS.filter((test) => only.length === 0 || only.some((name) => test.name.includes(name)));
  let failed = 0;
  for (const test of tests) if (!(await runOne(test, vsix))) failed++;
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
