// The VS Code entry point: build the app, register the palette commands, connect.
// Everything else lives in app.ts and the modules it wires.
import { performance } from 'node:perf_hooks';
import type * as vscode from 'vscode';
import { TetherApp } from './app';
import { registerCommands } from './commands';

let app: TetherApp | undefined;

/** What tests reach through `extension.exports`; not a public API. */
export interface TetherTestApi {
  app: TetherApp;
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): TetherTestApi {
  const started = performance.now();
  app = new TetherApp(context);
  context.subscriptions.push(app, ...registerCommands(app));
  // Connecting (and maybe starting the daemon) happens after activation returns.
  setImmediate(() => app?.start());
  const activationMs = performance.now() - started;
  app.log.info(`activated in ${activationMs.toFixed(1)} ms`);
  app.latency.activation(activationMs);
  return { app, activationMs };
}

export function deactivate(): void {
  app = undefined;
}
