// The status bar item: the server's state at a glance; a click opens the panel.
import * as vscode from 'vscode';
import type { ConnectionState, SessionView } from './shared/messages';

const ICONS: Record<ConnectionState, string> = {
  starting: '$(loading~spin)',
  connecting: '$(loading~spin)',
  connected: '$(pass)',
  reconnecting: '$(sync~spin)',
  failed: '$(error)',
};

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Tether';
    this.item.command = 'tether.openPanel';
    this.item.show();
  }

  render(state: ConnectionState, detail: string | undefined, session: SessionView | undefined): void {
    const running = session?.running ? ' $(loading~spin) running' : '';
    const mode = session?.currentModeId ? ` · ${session.currentModeId}` : '';
    this.item.text = `${ICONS[state]} Tether${mode}${running}`;
    this.item.tooltip = `Tether server: ${state}${detail ? ` (${detail})` : ''}${session?.title ? `\nSession: ${session.title}` : ''}`;
    this.item.backgroundColor = state === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
