// What each webview message does. One case per message; the work lives in the services.
import * as vscode from 'vscode';
import type { PermissionBroker } from '../session/permission-broker';
import type { SessionController } from '../session/session-controller';
import type { WebviewMessage } from '../shared/messages';

export interface RouterServices {
  sessions: SessionController;
  permissions: PermissionBroker;
  review: {
    openDiff(path: string): Promise<void>;
    reviewFile(path: string, verdict: 'accept' | 'reject'): Promise<void>;
    reviewHunk(path: string, hunkId: string, verdict: 'accept' | 'reject'): Promise<void>;
    reviewAll(verdict: 'accept' | 'reject'): Promise<void>;
  };
  sendPrompt(text: string): Promise<void>;
  sendReset(): void;
  refreshSessions(): Promise<void>;
  recordLatency(sentAt: number, renderedAt: number): void;
  showError(message: string): void;
}

export async function route(message: WebviewMessage, services: RouterServices): Promise<void> {
  try {
    await handle(message, services);
  } catch (error) {
    services.showError((error as Error).message);
  }
}

async function handle(message: WebviewMessage, services: RouterServices): Promise<void> {
  switch (message.type) {
    case 'ready':
      services.sendReset();
      return void services.refreshSessions().catch(() => {});
    case 'prompt':
      return services.sendPrompt(message.text);
    case 'cancel':
      return services.sessions.cancel();
    case 'setConfigOption':
      return services.sessions.setConfigOption(message.configId, message.value);
    case 'permissionResponse':
      services.permissions.answer(message.requestId, message);
      return;
    case 'openLocation':
      return openLocation(message.path, message.line);
    case 'copy':
      return vscode.env.clipboard.writeText(message.text);
    case 'newSession':
      return void (await services.sessions.newSession());
    case 'resumeSession':
      return services.sessions.resume(message.sessionId);
    case 'deleteSession':
      await services.sessions.delete(message.sessionId);
      return services.refreshSessions();
    case 'refreshSessions':
      return services.refreshSessions();
    case 'openDiff':
      return services.review.openDiff(message.path);
    case 'reviewFile':
      return services.review.reviewFile(message.path, message.verdict);
    case 'reviewHunk':
      return services.review.reviewHunk(message.path, message.hunkId, message.verdict);
    case 'reviewAll':
      return services.review.reviewAll(message.verdict);
    case 'rendered':
      return services.recordLatency(message.sentAt, message.renderedAt);
  }
}

/** ACP lines are 1-based; VS Code positions are 0-based. */
async function openLocation(path: string, line: number | undefined): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
  const position = new vscode.Position(Math.max(0, (line ?? 1) - 1), 0);
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position), preview: true });
}
