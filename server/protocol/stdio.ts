// ACP over stdio: newline-delimited JSON on stdin/stdout. Exits when stdin ends.
import { Readable, Writable } from 'node:stream';
import * as acp from '@agentclientprotocol/sdk';
import type { TetherConfig } from '../config';
import { log, redirectConsoleToStderr } from '../log';
import type { SessionManager } from '../session/manager';
import { createAgentApp } from './agent-app';

export async function serveStdio(config: TetherConfig): Promise<void> {
  redirectConsoleToStderr();
  // The session layer (tools, providers, storage) loads after the agent can answer initialize:
  // editors wait on that answer, and nothing in it needs sessions.
  let loading: Promise<SessionManager> | undefined;
  const manager = () => (loading ??= import('../session/manager').then(({ SessionManager }) => new SessionManager(config)));
  const endpoint = createAgentApp(manager);
  const stream = acp.ndJsonStream(
    Writable.toWeb(process.stdout) as WritableStream<Uint8Array>,
    Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>,
  );
  const connection = endpoint.app.connect(stream);
  log.debug('serving ACP on stdio');
  await connection.closed;
  await (await manager()).shutdown();
}
