// The session's view of one client connection: updates, permission prompts, and the client's
// files and terminals when (and only when) it advertised them.
import type { AgentContext, ClientCapabilities } from '@agentclientprotocol/sdk';
import { log } from '../log';
import type { ClientPort } from '../session/client-port';
import { diskFileAccess } from '../tools/disk-files';
import type { FileAccess } from '../tools/types';
import { createTerminalShellRunner } from './terminal-shell';

/** Each direction goes through the editor only if it advertised that direction; otherwise the disk. */
function clientFiles(client: AgentContext, fs: ClientCapabilities['fs'], sessionId: string): FileAccess | undefined {
  if (!fs?.readTextFile && !fs?.writeTextFile) return undefined;
  return {
    readText: fs.readTextFile
      ? async (path) => (await client.request('fs/read_text_file', { sessionId, path })).content
      : (path) => diskFileAccess.readText(path),
    writeText: fs.writeTextFile
      ? async (path, content) => void (await client.request('fs/write_text_file', { sessionId, path, content }))
      : (path, content) => diskFileAccess.writeText(path, content),
  };
}

export function createClientPort(connection: { id: string; closed: boolean }, client: AgentContext, capabilities: ClientCapabilities, sessionId: string): ClientPort {
  return {
    id: connection.id,
    get connected() {
      return !connection.closed;
    },
    sendUpdate(notification) {
      client.notify('session/update', notification).catch((error: unknown) => log.debug('update not delivered:', error));
    },
    requestPermission(params, signal) {
      return client.request('session/request_permission', params, { cancellationSignal: signal });
    },
    files: clientFiles(client, capabilities.fs, sessionId),
    shell: capabilities.terminal ? createTerminalShellRunner(client, sessionId) : undefined,
  };
}
