// Commands run without network unless the user lets that command out: once, or always for the
// project (which survives a restart); a command that did not ask cannot reach the network.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startHarness, type Harness } from './harness';

/** A TCP server on loopback the commands try to reach; it greets whoever connects. */
async function greeter(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.end('hello from the host\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

const connect = (port: number) =>
  `node -e "require('net').connect(${port}, '127.0.0.1').on('data', (d) => process.stdout.write(String(d))).on('error', (e) => { console.log('blocked:', e.code); })"`;

function toolOutputs(h: Harness): string[] {
  return h.model.requests.flatMap((r) => r.body.messages.filter((m: { role: string }) => m.role === 'tool').map((m: { content: string }) => m.content)).slice(-1);
}

const root = mkdtempSync(join(tmpdir(), 'tether-network-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('without asking for it a command has no network; asking, it runs once the user allows', async () => {
  const { server, port } = await greeter();
  const h = await startHarness({
    script: [
      { toolCalls: [{ name: 'shell', arguments: { command: connect(port) } }] },
      { text: 'no network' },
      { toolCalls: [{ name: 'shell', arguments: { command: connect(port), network: true } }] },
      { text: 'with network' },
      { toolCalls: [{ name: 'shell', arguments: { command: connect(port), network: true } }] },
      { text: 'asked again' },
    ],
  });
  try {
    await h.initialize();
    const { sessionId } = await h.newSession();
    await h.agent.request('session/set_mode', { sessionId, modeId: 'bypass' });
    await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'connect' }] });
    assert.equal(h.permissionRequests.length, 0, 'bypass asks nothing for a plain command');
    assert.match(toolOutputs(h)[0]!, /blocked: E/);
    await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'connect with network' }] });
    assert.equal(h.permissionRequests.length, 1, 'network is asked even in bypass mode');
    assert.match(h.permissionRequests[0]!.toolCall.title ?? '', /with network access/);
    assert.match(toolOutputs(h)[0]!, /hello from the host/);
    await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'connect again' }] });
    assert.equal(h.permissionRequests.length, 2, '"allow once" allowed exactly once');
  } finally {
    await h.close();
    server.close();
  }
});

test('"always for this project" lets that command out after a restart; other commands still ask; reject blocks', async () => {
  const { server, port } = await greeter();
  const home = join(root, 'home');
  const workspace = mkdtempSync(join(root, 'ws-'));
  const first = await startHarness({ home, workspace, script: [{ toolCalls: [{ name: 'shell', arguments: { command: connect(port), network: true } }] }, { text: 'ok' }] });
  try {
    first.setPermissionPolicy(() => ({ outcome: { outcome: 'selected', optionId: 'allow_project' } }));
    await first.initialize();
    const { sessionId } = await first.newSession();
    await first.agent.request('session/set_mode', { sessionId, modeId: 'bypass' });
    await first.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'go' }] });
    assert.match(toolOutputs(first)[0]!, /hello from the host/);
  } finally {
    await first.close();
  }
  const other = `${connect(port)} # another`;
  const second = await startHarness({
    home,
    workspace,
    script: [
      { toolCalls: [{ name: 'shell', arguments: { command: connect(port), network: true } }] },
      { toolCalls: [{ name: 'shell', arguments: { command: other, network: true } }] },
      { text: 'ok' },
    ],
  });
  try {
    second.setPermissionPolicy(() => ({ outcome: { outcome: 'selected', optionId: 'reject_once' } }));
    await second.initialize();
    const { sessionId } = await second.newSession();
    await second.agent.request('session/set_mode', { sessionId, modeId: 'bypass' });
    await second.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'again' }] });
    assert.equal(second.permissionRequests.length, 1, 'only the other command is asked');
    const results = second.model.requests[2]!.body.messages.filter((m: { role: string }) => m.role === 'tool').map((m: { content: string }) => m.content);
    assert.match(results[0], /hello from the host/);
    assert.match(results[1], /rejected/);
  } finally {
    await second.close();
    server.close();
  }
});
