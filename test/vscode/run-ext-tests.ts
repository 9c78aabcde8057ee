// Extension-host tests: mocha inside the real VS Code extension host (code-server), with the
// extension loaded from this repository (extensionDevelopmentPath) and the bundled suite
// (extensionTestsPath) — passed in the workbench URL's payload, as VS Code's own browser
// integration tests do. Playwright is the window; the suite's exit code is ours.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import type { Page } from 'playwright-core';
import { launchBrowser } from './harness/browser';
import { startCodeServer, type CodeServer } from './harness/code-server';
import { createRunContext, REPO, type RunContext } from './harness/run-context';

const TIMEOUT_MS = 6 * 60_000;
const SUITE = join(REPO, 'dist', 'test', 'index.cjs');

/** The workbench URL that makes it load the extension and run the suite (needs the smoke-test driver). */
function testUrl(server: CodeServer, run: RunContext): string {
  const remote = (path: string) => `vscode-remote://${new URL(server.url).host}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(REPO)],
    ['extensionTestsPath', remote(SUITE)],
    ['extensionEnvironment', JSON.stringify(run.env)],
    ['skipWelcome', 'true'],
  ];
  return `${server.url}/?folder=${encodeURIComponent(run.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Streams the extension host's console (mocha's reporter) and resolves with the suite's exit code. */
async function runSuite(page: Page, url: string): Promise<number | 'timeout'> {
  let finish!: (code: number | 'timeout') => void;
  const done = new Promise<number | 'timeout'>((resolve) => (finish = resolve));
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
    const line = format(...(Array.isArray(args) ? args : [args]));
    if (/open-vsx\.org|^\s+at async /.test(line)) return; // the offline gallery's noise
    (type === 'error' ? console.error : console.log)(line);
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
  page.on('pageerror', (error) => console.error('[pageerror]', error.message));
  const timer = setTimeout(() => finish('timeout'), TIMEOUT_MS);
  await page.goto(url);
  const code = await done;
  clearTimeout(timer);
  return code;
}

async function main(): Promise<number> {
  if (!existsSync(SUITE)) throw new Error(`${SUITE} is missing: run \`npm run build\` first`);
  const run = await createRunContext('ext-host');
  let server: CodeServer | undefined;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  let code: number | 'timeout' = 1;
  try {
    server = await startCodeServer({ runDir: run.runDir, workspace: run.workspace, env: run.env, testDriver: true });
    browser = await launchBrowser(run.runDir);
    const page = browser.pages()[0] ?? (await browser.newPage());
    code = await runSuite(page, testUrl(server, run));
    if (code === 'timeout') {
      console.error(`extension-host tests did not finish within ${TIMEOUT_MS / 1000} s; logs in ${run.runDir}`);
      await page.screenshot({ path: join(run.runDir, 'timeout.png') });
      return 1;
    }
    console.log(`extension-host tests: ${code === 0 ? 'passed' : `failed (exit ${code}); logs in ${run.runDir}`}`);
    return code;
  } finally {
    await browser?.close();
    await server?.stop();
    await run.close();
    // A passed run's folder (~30 MB of profiles) goes; a failed one stays for its logs.
    if (code === 0 && process.env.TETHER_VSCODE_KEEP !== '1') rmSync(run.runDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
