// In-memory ACP pair for protocol tests: our agent app joined to the SDK's client app, with a
// scripted model server on loopback so the real provider client runs over real HTTP.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as acp from '@agentclientprotocol/sdk';
import { loadConfig } from '../../server/config';
import { startScriptedChatServer, type ChatScript, type ScriptedChatServer } from '../../server/demo/scripted-chat-server';
import { createAgentApp } from '../../server/protocol/agent-app';
import { SessionManager } from '../../server/session/manager';

export type PermissionPolicy = (request: acp.RequestPermissionRequest) => acp.RequestPermissionResponse | Promise<acp.RequestPermissionResponse>;

export interface Harness {
  agent: acp.ClientContext;
  manager: SessionManager;
  model: ScriptedChatServer;
  workspace: string;
  home: string;
  updates: acp.SessionNotification[];
  permissionRequests: acp.RequestPermissionRequest[];
  setPermissionPolicy(policy: PermissionPolicy): void;
  initialize(capabilities?: acp.ClientCapabilities): Promise<acp.InitializeResponse>;
  newSession(): Promise<acp.NewSessionResponse>;
  updatesOf(kind: string): acp.SessionUpdate[];
  close(): Promise<void>;
}

export const allowOnce: PermissionPolicy = (request) => ({ outcome: { outcome: 'selected', optionId: request.options.find((o) => o.kind === 'allow_once')!.optionId } });

/** Every temp root a harness made; removed when the test process exits, whatever the tests kept. */
const roots: string[] = [];
process.on('exit', () => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

export async function startHarness(options: { script?: ChatScript; noProvider?: boolean; home?: string; workspace?: string; keepFiles?: boolean } = {}): Promise<Harness> {
  const root = mkdtempSync(join(tmpdir(), 'tether-proto-'));
  roots.push(root);
  const home = options.home ?? join(root, 'home');
  const workspace = options.workspace ?? join(root, 'ws');
  mkdirSync(workspace, { recursive: true });
  const model = await startScriptedChatServer({ script: options.script ?? [] });
  const env = options.noProvider ? { TETHER_HOME: home } : { TETHER_HOME: home, OPENAI_BASE_URL: model.url, TETHER_MODEL: 'scripted-model', OPENAI_API_KEY: 'sk-test-secret' };
  const manager = new SessionManager(loadConfig(env));
  const { connection, updates, permissionRequests, setPermissionPolicy } = connectClient(manager);
  const harness: Harness = {
    agent: connection.agent,
    manager,
    model,
    workspace,
    home,
    updates,
    permissionRequests,
    setPermissionPolicy,
    initialize: (capabilities = {}) => connection.agent.request('initialize', { protocolVersion: acp.PROTOCOL_VERSION, clientCapabilities: capabilities }),
    newSession: () => connection.agent.request('session/new', { cwd: workspace, mcpServers: [] }),
    updatesOf: (kind) => updates.map((n) => n.update).filter((u) => u.sessionUpdate === kind),
    close: async () => {
      connection.close();
      await manager.shutdown();
      await model.close();
      if (!options.home && !options.keepFiles) rmSync(root, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Waits until `predicate` holds, polling; fails with `what` after the timeout. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The text of a Chat Completions user message, whether its content is a string or parts. */
export function userText(message: { content: string | Array<{ type: string; text?: string }> }): string {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => part.text ?? '').join('');
}

export interface ExtraClient {
  agent: acp.ClientContext;
  updates: acp.SessionNotification[];
  permissionRequests: acp.RequestPermissionRequest[];
  setPermissionPolicy(policy: PermissionPolicy): void;
  close(): void;
}

/** An SDK client joined in memory to a new agent app on `manager`, recording what it is sent. */
function connectClient(manager: SessionManager) {
  const { app } = createAgentApp(manager);
  const updates: acp.SessionNotification[] = [];
  const permissionRequests: acp.RequestPermissionRequest[] = [];
  let policy: PermissionPolicy = allowOnce;
  const client = acp
    .client({ name: 'test-client' })
    .onNotification(acp.methods.client.session.update, async ({ params }) => {
      updates.push(params);
    })
    .onRequest(acp.methods.client.session.requestPermission, async ({ params }) => {
      permissionRequests.push(params);
      return policy(params);
    });
  const setPermissionPolicy = (next: PermissionPolicy) => {
    policy = next;
  };
  return { connection: client.connect(app), updates, permissionRequests, setPermissionPolicy };
}

/** Another editor connection to the same agent (same session manager). */
export async function connectExtraClient(manager: SessionManager): Promise<ExtraClient> {
  const { connection, updates, permissionRequests, setPermissionPolicy } = connectClient(manager);
  await connection.agent.request('initialize', { protocolVersion: acp.PROTOCOL_VERSION, clientCapabilities: {} });
  return { agent: connection.agent, updates, permissionRequests, setPermissionPolicy, close: () => connection.close() };
}

/** The `_meta.tether.seq` of a notification. */
export function seqOf(notification: acp.SessionNotification): number {
  return (notification._meta as { tether: { seq: number } }).tether.seq;
}
