// Optional: the same extension-host suite in desktop VS Code through @vscode/test-electron,
// for machines that can download VS Code (these cannot; CI uses code-server instead).
import { runTests } from '@vscode/test-electron';
import { join } from 'node:path';
import { createRunContext, REPO } from './harness/run-context';

async function main(): Promise<void> {
  const run = await createRunContext('electron');
  try {
    await runTests({
      extensionDevelopmentPath: REPO,
      extensionTestsPath: join(REPO, 'dist', 'test', 'index.cjs'),
      launchArgs: [run.workspace, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: run.env,
    });
  } finally {
    await run.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
