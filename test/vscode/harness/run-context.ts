// One test run's folders and the processes every real-VS-Code test needs: a fresh Tether
// home, a fresh copy of the workspace fixture, the scenario model, and (at the end) the
// daemon the extension started stopped again.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ScriptedChatServer } from '../../../server/demo/scripted-chat-server';
import { stopDaemon } from './processes';
import { startScenarioModel } from './scenario-model';

export const REPO = resolve(import.meta.dirname, '..', '..', '..');
export const ARTIFACTS = join(REPO, '.tether-test', 'vscode-artifacts');

export interface RunContext {
  runDir: string;
  workspace: string;
  tetherHome: string;
  model: ScriptedChatServer;
  /** What code-server (so the extension host, so the daemon) runs with. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function createRunContext(name: string): Promise<RunContext> {
  const runDir = join(REPO, '.tether-test', 'vscode', `${name}-${process.pid}`);
  rmSync(runDir, { recursive: true, force: true });
  const workspace = join(runDir, 'workspace');
  const tetherHome = join(runDir, 'tether-home');
  mkdirSync(tetherHome, { recursive: true, mode: 0o700 });
  cpSync(join(REPO, 'test', 'vscode', 'fixtures', 'workspace'), workspace, { recursive: true });
  const model = await startScenarioModel();
  const env = { TETHER_HOME: tetherHome, TETHER_PROVIDER: 'openai-chat', OPENAI_BASE_URL: model.url, TETHER_MODEL: 'scripted-model', OPENAI_API_KEY: '' };
  return {
    runDir,
    workspace,
    tetherHome,
    model,
    env,
    close: async () => {
      try {
        await stopDaemon(tetherHome); // code-server's stop does this too; a run may have failed before
      } finally {
        await model.close();
      }
    },
  };
}
