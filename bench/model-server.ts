// The scripted model server for the benchmark, in its own process so that its clock is not
// held up by the ACP client's work. Parent ⇄ child over IPC: {url} out, 'report' in, figures out.
import { startScriptedChatServer, type ScriptedResponse } from '../server/demo/scripted-chat-server';

export function benchScript(n: number): ScriptedResponse[] {
  const calls: ScriptedResponse[] = [];
  for (let i = 0; i < n; i++) {
    calls.push({ toolCalls: [i % 2 === 0 ? { name: 'read_file', arguments: { path: `src/file${i % 5}.ts` } } : { name: 'grep', arguments: { pattern: 'export' } }] });
  }
  calls.push({ text: 'Finished.' });
  return calls;
}

export interface ServedRequest {
  bytes: number;
  receivedAt: number;
  completedAt?: number;
}

if (process.send) {
  const server = await startScriptedChatServer({ script: benchScript(Number(process.argv[2])) });
  process.on('message', async (message) => {
    if (message !== 'report') return;
    const served: ServedRequest[] = server.requests.map(({ bytes, receivedAt, completedAt }) => ({ bytes, receivedAt, completedAt }));
    process.send!({ served });
    await server.close();
    process.disconnect();
  });
  process.send({ url: server.url });
}
