// A scripted model server of one kind (chat | responses | anthropic) in its own process, for
// bench/providers.ts. Parent ⇄ child over IPC: {url} out, 'report' in, request sizes out.
import { startScriptedAnthropicServer } from '../server/demo/scripted-anthropic-server';
import { startScriptedChatServer } from '../server/demo/scripted-chat-server';
import { startScriptedResponsesServer } from '../server/demo/scripted-responses-server';

export type ServerKind = 'chat' | 'responses' | 'anthropic';

export interface ServedSizes {
  /** JSON bytes of each request, in order. */
  bytes: number[];
  /** Bytes each request took on the wire, where the server can tell (deflated frames). */
  wireBytes: number[];
}

/** N read_file calls over ten files, then a closing message. */
function toolSteps(n: number): Array<{ name: string; path: string }> {
  return Array.from({ length: n }, (_, i) => ({ name: 'read_file', path: `src/module${i % 10}.ts` }));
}

async function start(kind: ServerKind, n: number, link: { latencyMs: number; uploadBytesPerSecond: number } | undefined) {
  const steps = toolSteps(n);
  if (kind === 'chat') {
    const script = [...steps.map((s) => ({ toolCalls: [{ name: s.name, arguments: { path: s.path } }] })), { text: 'Finished.' }];
    const server = await startScriptedChatServer({ script });
    return { url: server.url, sizes: (): ServedSizes => ({ bytes: server.requests.map((r) => r.bytes), wireBytes: server.requests.map((r) => r.bytes) }), close: () => server.close() };
  }
  if (kind === 'anthropic') {
    const script = [...steps.map((s) => ({ toolCalls: [{ name: s.name, input: { path: s.path } }] })), { text: 'Finished.' }];
    const server = await startScriptedAnthropicServer({ script });
    return { url: server.url, sizes: (): ServedSizes => ({ bytes: server.requests.map((r) => r.bytes), wireBytes: server.requests.map((r) => r.bytes) }), close: () => server.close() };
  }
  const script = [...steps.map((s) => ({ toolCalls: [{ name: s.name, arguments: { path: s.path } }] })), { text: 'Finished.' }];
  const server = await startScriptedResponsesServer({ script, link });
  return { url: server.url, sizes: (): ServedSizes => ({ bytes: server.requests.map((r) => r.bytes), wireBytes: server.requests.map((r) => r.wireBytes) }), close: () => server.close() };
}

if (process.send) {
  const [kind, n, linkJson] = process.argv.slice(2);
  const server = await start(kind as ServerKind, Number(n), linkJson ? JSON.parse(linkJson) : undefined);
  process.on('message', async (message) => {
    if (message !== 'report') return;
    process.send!(server.sizes());
    await server.close();
    process.disconnect();
  });
  process.send({ url: server.url });
}
