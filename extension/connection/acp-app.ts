// The ACP client app: every agent->client method the extension answers, wired to the editor
// side. The SDK validates params against the ACP schema before a handler runs.
import * as acp from '@agentclientprotocol/sdk';

/** What the editor side implements; each method is one ACP client method. */
export interface ClientHandlers {
  sessionUpdate(params: acp.SessionNotification, receivedAt: number): void;
  requestPermission(params: acp.RequestPermissionRequest): Promise<acp.RequestPermissionResponse>;
  readTextFile(params: acp.ReadTextFileRequest): Promise<acp.ReadTextFileResponse>;
  writeTextFile(params: acp.WriteTextFileRequest): Promise<acp.WriteTextFileResponse>;
  createTerminal(params: acp.CreateTerminalRequest): Promise<acp.CreateTerminalResponse>;
  terminalOutput(params: acp.TerminalOutputRequest): Promise<acp.TerminalOutputResponse>;
  waitForTerminalExit(params: acp.WaitForTerminalExitRequest): Promise<acp.WaitForTerminalExitResponse>;
  killTerminal(params: acp.KillTerminalRequest): Promise<acp.KillTerminalResponse>;
  releaseTerminal(params: acp.ReleaseTerminalRequest): Promise<acp.ReleaseTerminalResponse>;
}

export const CLIENT_CAPABILITIES: acp.ClientCapabilities = {
  fs: { readTextFile: true, writeTextFile: true },
  terminal: true,
};

export function clientApp(handlers: ClientHandlers): acp.ClientApp {
  const { client } = acp.methods;
  return acp
    .client({ name: 'tether-vscode' })
    .onNotification(client.session.update, ({ params }) => handlers.sessionUpdate(params, Date.now()))
    .onRequest(client.session.requestPermission, ({ params }) => handlers.requestPermission(params))
    .onRequest(client.fs.readTextFile, ({ params }) => handlers.readTextFile(params))
    .onRequest(client.fs.writeTextFile, ({ params }) => handlers.writeTextFile(params))
    .onRequest(client.terminal.create, ({ params }) => handlers.createTerminal(params))
    .onRequest(client.terminal.output, ({ params }) => handlers.terminalOutput(params))
    .onRequest(client.terminal.waitForExit, ({ params }) => handlers.waitForTerminalExit(params))
    .onRequest(client.terminal.kill, ({ params }) => handlers.killTerminal(params))
    .onRequest(client.terminal.release, ({ params }) => handlers.releaseTerminal(params));
}
