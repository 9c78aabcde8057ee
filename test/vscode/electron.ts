// Optional: the same extension-host suite (dist/test/index.cjs) in desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code or have one installed
// (TETHER_VSCODE_EXECUTABLE=/path/to/code). CI here uses code-server instead (run-ext-tests.ts).
import { runTests } from '@vscode/test-electron';
import { join } from 'node:path';
import { createRunContext, REPO } from './harness/run-context';

async function main(): Promise<void> {
  const run = await createRunContext('electron');
  try {
    await runTests({
      extensionDevelopmentPath: REPO,
      extensionTestsPath: join(REPO, 'dist', 'test', 'index.cjs'),
      launchArgs: [run.workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', join(run.runDir, 'data')],
      extensionTestsEnv: run.env,
      ...(process.env.TETHER_VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.TETHER_VSCODE_EXECUTABLE } : {}),
    });
  } finally {
    await run.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  if ((error as NodeJS.ErrnoException).code === 'ENOTFOUND') {
    console.error('VS Code could not be downloaded: set TETHER_VSCODE_EXECUTABLE, or use `npm run test:vscode` (code-server).');
  }
  process.exit(1);
});
