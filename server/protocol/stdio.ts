// ACP over stdio: newline-delimited JSON on stdin/stdout. Exits when stdin ends.
import { Readable, Writable } from 'node:stream';
import * as acp from '@agentclientprotocol/sdk';
import type { TetherConfig } from '../config';
import { log, redirectConsoleToStderr } from '../log';
import { SessionManager } from '../session/manager';
import { createAgentApp } from './agent-app';
import { limitNesting } from './nesting-limit';

export async function serveStdio(config: TetherConfig): Promise<void> {
  redirectConsoleToStderr();
  const manager = new SessionManager(config);
  const endpoint = createAgentApp(manager);
  const stream = limitNesting(
    acp.ndJsonStream(Writable.toWeb(process.stdout) as WritableStream<Uint8Array>, Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>),
  );
  const connection = endpoint.app.connect(stream);
  log.debug('serving ACP on stdio');
  await connection.closed;
  await manager.shutdown();
}
