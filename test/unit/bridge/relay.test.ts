import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Bridge, type BridgeLog } from '../../../server/bridge/relay';
import { openSocket } from '../../../server/bridge/socket';
import { EditorPipe, type Message } from './editor-pipe';
import { FakeDaemon } from './fake-daemon';

const INIT = { protocolVersion: 1, clientCapabilities: { fs: { readTextFile: true, writeTextFile: true }, terminal: true } };

interface Rig {
  daemon: FakeDaemon;
  editor: EditorPipe;
  bridge: Bridge;
  exit: Promise<number>;
  warnings: string[];
  /** Connect attempts so far. */
  connects: () => number;
}

async function rig(options: { attach?: boolean; gate?: () => Promise<void>; attempts?: number; down?: () => boolean } = {}): Promise<Rig> {
  const daemon = await FakeDaemon.start({ attach: options.attach });
  after(() => daemon.close());
  const editor = new EditorPipe();
  const warnings: string[] = [];
  const log: BridgeLog = { debug: () => {}, warn: (...a: unknown[]) => warnings.push(a.join(' ')), error: (...a: unknown[]) => warnings.push(a.join(' ')) };
  let connects = 0;
  const bridge = new Bridge({
    input: editor.input,
    output: editor.output,
    log,
    retry: { attempts: options.attempts ?? 8, firstDelayMs: 10, maxDelayMs: 50 },
    requestTimeoutMs: 2_000,
    connect: async () => {
      connects++;
      await options.gate?.();
      if (options.down?.()) throw new Error('daemon is down');
      return openSocket({ host: '127.0.0.1', port: daemon.port, token: daemon.token });
    },
  });
  const exit = bridge.run();
  after(() => editor.input.end());
  return { daemon, editor, bridge, exit, warnings, connects: () => connects };
}

/** initialize + session/new through the bridge; returns the session id. */
async function openSession(r: Rig): Promise<string> {
  await r.editor.request(0, 'initialize', INIT);
  const created = await r.editor.request(1, 'session/new', { cwd: '/work', mcpServers: [] });
  return (created.result as Message).sessionId as string;
}

test('lines and frames are relayed both ways, byte for byte', async () => {
  const r = await rig();
  const init = await r.editor.request(0, 'initialize', INIT);
  assert.deepEqual((init.result as Message).protocolVersion, 1);
  const sessionId = await openSession(r);
  r.daemon.publish(sessionId, { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'hé\nllo' } });
  await r.editor.waitForMessage((m) => m.method === 'session/update', 'an update');
  const sent = {
    jsonrpc: '2.0',
    method: 'session/update',
    params: { sessionId, update: { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'hé\nllo' } }, _meta: { tether: { seq: 1 } } },
  };
  assert.equal(r.editor.lines.at(-1), JSON.stringify(sent));
  r.editor.send({ jsonrpc: '2.0', method: 'session/cancel', params: { sessionId } });
  await r.daemon.waitFor(() => r.daemon.messages().some((m) => m.method === 'session/cancel'), 'the cancel notification');
  assert.deepEqual(r.daemon.messages(0)[0], { jsonrpc: '2.0', id: 0, method: 'initialize', params: INIT });
  assert.deepEqual(r.editor.badLines, []);
});

test("the daemon's requests reach the editor renumbered and the answers go back with the daemon's id", async () => {
  const r = await rig();
  const sessionId = await openSession(r);
  r.daemon.send(0, { jsonrpc: '2.0', id: 'perm-7', method: 'session/request_permission', params: { sessionId, options: [] } });
  r.daemon.send(0, { jsonrpc: '2.0', id: 0, method: 'fs/read_text_file', params: { sessionId, path: '/work/a' } });
  const permission = await r.editor.waitForMessage((m) => m.method === 'session/request_permission', 'the permission request');
  const read = await r.editor.waitForMessage((m) => m.method === 'fs/read_text_file', 'the read request');
  assert.notEqual(permission.id, read.id);
  r.editor.send({ jsonrpc: '2.0', id: read.id, result: { content: 'text' } });
  r.editor.send({ jsonrpc: '2.0', id: permission.id, result: { outcome: { outcome: 'cancelled' } } });
  await r.daemon.waitFor(() => r.daemon.messages(0).filter((m) => !('method' in m)).length === 2, 'both answers');
  const answers = r.daemon.messages(0).filter((m) => !('method' in m));
  assert.deepEqual(answers, [
    { jsonrpc: '2.0', id: 0, result: { content: 'text' } },
    { jsonrpc: '2.0', id: 'perm-7', result: { outcome: { outcome: 'cancelled' } } },
  ]);
});

test('after a drop: in-flight requests fail, the bridge reattaches, the editor sees the missed tail once, queued requests follow', async () => {
  let release: () => void = () => {};
  let holding = false;
  const r = await rig({ gate: () => (holding ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve()) });
  r.daemon.handlers.set('session/prompt', () => 'no-reply');
  const sessionId = await openSession(r);
  for (let i = 0; i < 3; i++) r.daemon.publish(sessionId, { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: `${i}` } });
  await r.editor.waitForMessage((m) => r.editor.seqs(sessionId).length === 3 && m.method === 'session/update', 'three updates');
  r.editor.sendRequest(2, 'session/prompt', { sessionId, prompt: [] });
  await r.daemon.waitFor(() => r.daemon.messages(0).some((m) => m.method === 'session/prompt'), 'the prompt');

  holding = true;
  r.daemon.dropConnections();
  const failed = await r.editor.waitForMessage((m) => m.id === 2, 'the prompt to fail');
  assert.equal((failed.error as Message).code, -32603);
  assert.match((failed.error as Message).message as string, /daemon restarted; the turn was interrupted/);
  // Published while nobody was attached: the editor must get these after the reattach.
  r.daemon.publish(sessionId, { sessionUpdate: 'tool_call_update', toolCallId: 't', status: 'failed' });
  r.daemon.publish(sessionId, { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'late' } });
  r.editor.sendRequest(3, 'session/set_mode', { sessionId, modeId: 'plan' });
  r.daemon.handlers.set('session/set_mode', () => ({ result: {} }));
  holding = false;
  release();

  await r.editor.waitForMessage((m) => m.id === 3, 'the queued request to be answered');
  assert.deepEqual(r.editor.seqs(sessionId), [1, 2, 3, 4, 5]);
  const second = r.daemon.messages(1);
  assert.deepEqual(
    second.map((m) => m.method ?? 'response'),
    ['initialize', '_tether/session/attach', 'session/set_mode'],
  );
  assert.deepEqual(second[0]!.params, INIT);
  assert.deepEqual(second[1]!.params, { sessionId, afterSeq: 3 });
  assert.match(String(second[0]!.id), /^tether-bridge:/);
  // The bridge's own answers never reach the editor.
  assert.ok(!r.editor.received.some((m) => String(m.id).startsWith('tether-bridge:')));
  assert.equal(r.editor.received.filter((m) => (m.result as Message | undefined)?.protocolVersion !== undefined).length, 1);
  assert.deepEqual(r.editor.badLines, []);
});

test('an answer to a request of the dead connection is dropped, not handed to the new daemon', async () => {
  const r = await rig();
  const sessionId = await openSession(r);
  r.daemon.send(0, { jsonrpc: '2.0', id: 0, method: 'session/request_permission', params: { sessionId, options: [] } });
  const asked = await r.editor.waitForMessage((m) => m.method === 'session/request_permission', 'the permission request');
  r.daemon.dropConnections();
  await r.daemon.waitFor(() => r.daemon.messages(1).some((m) => m.method === '_tether/session/attach'), 'the reattach');
  r.editor.send({ jsonrpc: '2.0', id: asked.id, result: { outcome: { outcome: 'selected', optionId: 'allow' } } });
  r.editor.sendRequest(9, 'session/list');
  await r.editor.waitForMessage((m) => m.id === 9, 'the list answer');
  assert.deepEqual(r.daemon.messages(1).filter((m) => !('method' in m)), []);
  assert.ok(r.warnings.some((w) => /abandoned/.test(w)));
});

test('a session the daemon refuses to reattach is dropped with a warning; the others are reattached', async () => {
  const r = await rig();
  const kept = await openSession(r);
  const refused = ((await r.editor.request(2, 'session/new', { cwd: '/w', mcpServers: [] })).result as Message).sessionId as string;
  r.daemon.sessions.delete(refused);
  r.daemon.dropConnections();
  await r.daemon.waitFor(() => r.daemon.messages(1).filter((m) => m.method === '_tether/session/attach').length === 2, 'two attaches');
  r.editor.sendRequest(3, 'session/list');
  await r.editor.waitForMessage((m) => m.id === 3, 'the list answer');
  assert.ok(r.warnings.some((w) => w.includes(`cannot reattach session ${refused}`)));
  r.daemon.dropConnections();
  await r.daemon.waitFor(() => r.daemon.connectionCount === 3 && r.daemon.messages(2).some((m) => m.method === '_tether/session/attach'), 'the third connection');
  const attaches = r.daemon.messages(2).filter((m) => m.method === '_tether/session/attach');
  assert.deepEqual(attaches.map((m) => (m.params as Message).sessionId), [kept]);
});

test('a daemon that cannot attach gets initialize only, and the editor is warned through the log', async () => {
  const r = await rig({ attach: false });
  await openSession(r);
  r.daemon.dropConnections();
  await r.daemon.waitFor(() => r.daemon.messages(1).some((m) => m.method === 'initialize'), 'the re-initialize');
  r.editor.sendRequest(5, 'session/list');
  await r.editor.waitForMessage((m) => m.id === 5, 'the list answer');
  assert.ok(!r.daemon.messages(1).some((m) => m.method === '_tether/session/attach'));
  assert.ok(r.warnings.some((w) => /cannot reattach sessions/.test(w)));
});

test('end of stdin closes the socket and exits 0', async () => {
  const r = await rig();
  await openSession(r);
  r.editor.input.end();
  assert.equal(await r.exit, 0);
  await r.daemon.waitFor(() => r.daemon.closedConnections === 1, 'the socket to close');
  assert.deepEqual(r.warnings, []);
  // A dropped connection after the exit must not start a reconnect.
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(r.connects(), 1);
});

test('when no daemon can be reached the queued requests get an error and the bridge exits 1', async () => {
  const r = await rig({ attempts: 3, down: () => true });
  r.editor.sendRequest(0, 'initialize', INIT);
  r.editor.send({ jsonrpc: '2.0', method: 'session/cancel', params: { sessionId: 'x' } });
  assert.equal(await r.exit, 1);
  const answer = await r.editor.waitForMessage((m) => m.id === 0, 'the initialize error');
  assert.match((answer.error as Message).message as string, /daemon is not available: daemon is down/);
  assert.equal(r.editor.received.length, 1, 'notifications get no answer');
  assert.equal(r.connects(), 3);
});
