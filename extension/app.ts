// The composition root: the connection, the current session, the editor side of ACP, the
// review and the panel, wired together. Each part lives in its own module; this file only
// connects them and turns their events into messages for the webview.
import type * as acp from '@agentclientprotocol/sdk';
import * as vscode from 'vscode';
import { daemonLogPath } from '../server/bridge/discovery';
import { tetherHomeOf } from '../server/config';
import type { ClientHandlers } from './connection/acp-app';
import { DaemonLink } from './connection/daemon-link';
import { describeMessage } from './connection/wire-trace';
import { readTextFile, writeTextFile } from './editor/fs';
import { TerminalManager } from './editor/terminals';
import { LatencyRecorder } from './latency';
import { notifyPermission } from './panel/permission-notification';
import { PanelView } from './panel/panel-view';
import { route } from './panel/router';
import { ReviewController } from './review/review-controller';
import { ServerLog } from './server-log';
import { PermissionBroker } from './session/permission-broker';
import { SessionController } from './session/session-controller';
import type { HostMessage, ReviewState } from './shared/messages';
import { StatusBar } from './status-bar';

export class TetherApp implements vscode.Disposable {
  readonly log = vscode.window.createOutputChannel('Tether', { log: true });
  readonly serverLog = new ServerLog(daemonLogPath(tetherHomeOf()));
  readonly terminals = new TerminalManager();
  readonly permissions = new PermissionBroker();
  readonly latency = new LatencyRecorder();
  readonly status = new StatusBar();
  readonly link: DaemonLink;
  readonly sessions: SessionController;
  readonly review: ReviewController;
  readonly panel: PanelView;
  private sessionList: acp.SessionInfo[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly context: vscode.ExtensionContext) {
    const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
    this.link = new DaemonLink({
      handlers: this.clientHandlers(),
      serverScript: vscode.Uri.joinPath(context.extensionUri, 'dist', 'server', 'tether.cjs').fsPath,
      settings: () => {
        const config = vscode.workspace.getConfiguration('tether');
        return { serverUrl: config.get<string>('serverUrl', '').trim(), serverToken: config.get<string>('serverToken', '').trim() };
      },
      trace: {
        enabled: () => vscode.workspace.getConfiguration('tether').get<boolean>('trace.wire', false),
        write: (direction, message) => this.log.trace(`${direction === 'in' ? '<-' : '->'} ${describeMessage(message)}`),
      },
      log: (line) => this.log.info(line),
      version: String(context.extension.packageJSON.version ?? '0'),
    });
    this.sessions = new SessionController(this.link, cwd, context.workspaceState, this.sessionEvents(), (line) => this.log.info(line));
    this.review = new ReviewController(context, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, (state) => this.post({ type: 'review', review: state }));
    this.panel = new PanelView(context.extensionUri, (message) => void route(message, this.routerServices()));
    this.permissions.attach({
      show: (permission) => {
        this.post({ type: 'permission', permission });
        return this.panel.visible;
      },
      resolved: (requestId) => this.post({ type: 'permissionResolved', requestId }),
      notify: (permission, options) => notifyPermission(permission, options, () => this.panel.reveal()),
    });
    this.link.onState((state, detail) => {
      this.post({ type: 'connection', state, detail });
      this.renderStatus();
      // Questions asked on a lost connection are asked again by the server on the next one.
      if (state !== 'connected') this.permissions.cancelAll();
    });
    this.disposables.push(vscode.window.registerWebviewViewProvider('tether.panel', this.panel), this.panel, this.log, this.serverLog, this.terminals, this.status, this.review);
  }

  start(): void {
    this.sessions.restore();
    this.renderStatus();
    this.link.start();
  }

  async sendPrompt(text: string): Promise<void> {
    const report = this.review.takeRejectionReport();
    await this.sessions.prompt(text, report ? [report] : []);
  }

  async refreshSessions(): Promise<void> {
    this.sessionList = await this.sessions.list();
    this.post({ type: 'sessions', sessions: this.sessionList });
  }

  post(message: HostMessage): void {
    this.panel.post(message);
  }

  dispose(): void {
    this.permissions.cancelAll();
    this.link.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private renderStatus(): void {
    this.status.render(this.link.state, this.link.detail, this.sessions.view());
  }

  private sendReset(): void {
    const current = this.sessions.current;
    this.post({
      type: 'reset',
      connection: this.link.state,
      connectionDetail: this.link.detail,
      session: current?.view(),
      updates: current ? [...current.updates] : [],
      queued: current ? [...current.queued] : [],
      permissions: this.permissions.pending(),
      review: this.review.state() as ReviewState,
      sessions: this.sessionList,
    });
  }

  private sessionEvents() {
    return {
      reset: () => {
        this.sendReset();
        this.renderStatus();
      },
      session: (session: ReturnType<SessionController['view']>) => {
        this.post({ type: 'session', session });
        this.renderStatus();
      },
      update: (update: acp.SessionUpdate, receivedAt: number) => this.post({ type: 'update', update, sentAt: receivedAt }),
      queue: (queued: string[]) => this.post({ type: 'queue', queued }),
      error: (message: string) => this.showError(message),
      sessionsChanged: () => void this.refreshSessions().catch(() => {}),
      idle: (sessionId: string) => {
        this.permissions.cancelAll(sessionId);
        void this.review.refresh();
      },
    };
  }

  private showError(message: string): void {
    this.log.error(message);
    this.post({ type: 'error', message });
    if (!this.panel.visible) void vscode.window.showErrorMessage(`Tether: ${message}`);
  }

  private routerServices() {
    return {
      sessions: this.sessions,
      permissions: this.permissions,
      review: this.review,
      sendPrompt: (text: string) => this.sendPrompt(text),
      sendReset: () => this.sendReset(),
      refreshSessions: () => this.refreshSessions(),
      recordLatency: (sentAt: number, renderedAt: number) => this.latency.record(sentAt, renderedAt),
      showError: (message: string) => this.showError(message),
    };
  }

  private clientHandlers(): ClientHandlers {
    return {
      sessionUpdate: (params, receivedAt) => this.sessions.handleUpdate(params, receivedAt),
      requestPermission: (params) => this.permissions.ask(params),
      readTextFile: (params) => readTextFile(params),
      writeTextFile: (params) =>
        writeTextFile(params, {
          beforeWrite: (path, before) => this.review.beforeWrite(path, before),
          afterWrite: () => void this.review.refresh(),
        }),
      createTerminal: async (params) => this.terminals.create(params),
      terminalOutput: async (params) => this.terminals.output(params),
      waitForTerminalExit: (params) => this.terminals.waitForExit(params),
      killTerminal: async (params) => (this.terminals.kill(params.terminalId), {}),
      releaseTerminal: async (params) => (this.terminals.release(params.terminalId), {}),
    };
  }
}
