// The palette commands. Each is a thin call into the app; titles live in package.json.
import * as vscode from 'vscode';
import { isPidAlive } from '../server/bridge/discovery';
import type { TetherApp } from './app';

export function registerCommands(app: TetherApp): vscode.Disposable[] {
  const commands: Record<string, () => unknown> = {
    'tether.openPanel': () => app.panel.reveal(),
    'tether.focusInput': async () => {
      await app.panel.reveal();
      app.post({ type: 'focusInput' });
    },
    'tether.newSession': async () => {
      await app.panel.reveal();
      await app.sessions.newSession();
    },
    'tether.switchMode': () => switchMode(app),
    'tether.cancel': () => app.sessions.cancel(),
    'tether.showServerLog': () => app.serverLog.show(),
    'tether.showLog': () => app.log.show(true),
    'tether.restartServer': () => restartServer(app),
  };
  return Object.entries(commands).map(([id, run]) =>
    vscode.commands.registerCommand(id, async () => {
      try {
        await run();
      } catch (error) {
        void vscode.window.showErrorMessage(`Tether: ${(error as Error).message}`);
      }
    }),
  );
}

async function switchMode(app: TetherApp): Promise<void> {
  const view = app.sessions.view();
  const option = view?.configOptions.find((candidate) => candidate.id === 'mode');
  const choices = option && option.type === 'select' && Array.isArray(option.options) ? option.options : [];
  const items = (choices as Array<{ value: string; name: string; description?: string | null }>).map((choice) => ({
    label: choice.name,
    description: choice.value === view?.currentModeId ? 'current' : undefined,
    detail: choice.description ?? undefined,
    value: choice.value,
  }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Tether: start a session first (send a message in the panel).');
    return;
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'Tether: switch mode' });
  if (picked) await app.sessions.setConfigOption('mode', picked.value);
}

/** Stops the local daemon (SIGTERM, then SIGKILL after 5 s) and connects again, which starts a new one. */
async function restartServer(app: TetherApp): Promise<void> {
  const endpoint = app.link.connected?.endpoint;
  if (endpoint && !endpoint.local) throw new Error('the server is remote (tether.serverUrl); restart it where it runs');
  const pid = endpoint?.pid;
  if (pid && isPidAlive(pid)) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 5_000;
    while (isPidAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    if (isPidAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  app.log.info(`restarting the server${pid ? ` (stopped pid ${pid})` : ''}`);
  app.link.reconnectNow();
}
