// The side panel's webview view: owns the webview, posts host messages to it, and hands
// what the user does to the router. Hidden panels drop messages; `ready` gets a full reset.
import * as vscode from 'vscode';
import type { HostMessage, WebviewMessage } from '../shared/messages';
import { panelHtml } from './html';

export const VIEW_ID = 'tether.panel';

export class PanelView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly onMessage: (message: WebviewMessage) => void,
  ) {}

  get visible(): boolean {
    return this.view?.visible === true && this.ready;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const webviewRoot = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, localResourceRoots: [webviewRoot] };
    view.webview.html = panelHtml(view.webview, webviewRoot, (base, file) => vscode.Uri.joinPath(base, file));
    this.disposables.push(
      view.webview.onDidReceiveMessage((message: WebviewMessage) => {
        if (message?.type === 'ready') this.ready = true;
        this.onMessage(message);
      }),
      // A hidden webview is torn down; it says `ready` again when shown.
      view.onDidChangeVisibility(() => {
        if (!view.visible) this.ready = false;
      }),
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
      }),
    );
  }

  post(message: HostMessage): void {
    if (!this.view || !this.ready) return;
    void this.view.webview.postMessage(message);
  }

  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
