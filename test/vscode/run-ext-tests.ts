// Extension-host tests: mocha inside the real VS Code extension host (code-server), with the
// extension loaded from this repository (extensionDevelopmentPath) and the bundled suite
// (extensionTestsPath) — passed in the workbench URL's payload, as VS Code's own browser
// integration tests do. Playwright is the window; the suite's exit code is ours.
import { format } from 'node:util';
import { join } from 'node:path';
import { launchBrowser } from './harness/browser';
import { startCodeServer } from './harness/code-server';
import { createRunContext, REPO } from './harness/run-context';

const TIMEOUT_MS = 6 * 60_000;

async function main(): Promise<number> {
  const run = await createRunContext('ext-host');
  const server = await startCodeServer({ runDir: run.runDir, workspace: run.workspace, env: run.env, testDriver: true });
  const browser = await launchBrowser(run.runDir);
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const authority = new URL(server.url).host;
    const remote = (path: string) => `vscode-remote://${authority}${path}`;
    const payload = [
      ['extensionDevelopmentPath', remote(REPO)],
      ['extensionTestsPath', remote(join(REPO, 'dist', 'test', 'index.cjs'))],
      ['extensionEnvironment', JSON.stringify(run.env)],
      ['skipWelcome', 'true'],
    ];
    let finish!: (code: number | string) => void;
    const done = new Promise<number | string>((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      if (/open-vsx\.org|^\s+at async /.test(line)) return; // the offline gallery's noise
      (type === 'error' ? console.error : console.log)(line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    page.on('pageerror', (error) => console.error('[pageerror]', error.message));
    await page.goto(`${server.url}/?folder=${encodeURIComponent(run.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const timer = setTimeout(() => finish('timeout'), TIMEOUT_MS);
    const code = await done;
    clearTimeout(timer);
    if (code === 'timeout') {
      console.error(`extension-host tests did not finish within ${TIMEOUT_MS / 1000} s`);
      await page.screenshot({ path: join(run.runDir, 'timeout.png') });
      return 1;
    }
    console.log(`extension-host tests: ${code === 0 ? 'passed' : `failed (exit ${code})`}`);
    return Number(code);
  } finally {
    await browser.close();
    await server.stop();
    await run.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
