import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import * as acp from '@agentclientprotocol/sdk';
import { WebSocket } from 'ws';
import { DaemonError } from '../../../server/daemon/errors';
import { isLoopbackHost, startDaemon } from '../../../server/daemon/server';
import { VERSION } from '../../../server/version';
import { attempt, bearer, closed, exchange, initializeFrame, openSocket, sdkClient, startTestDaemon, tempHome, until, type TestDaemon } from './helpers';

/** Socket tests fail instead of hanging when a close or an answer never comes. */
const TIMEOUT = 15_000;

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('daemon over real sockets', { timeout: TIMEOUT }, () => {
  let daemon: TestDaemon;
  let url: string;
  let token: string;
  before(async () => {
    daemon = await startTestDaemon({ allowedOrigins: ['https://editor.example'] });
    ({ url, token } = daemon.server);
  });
  after(() => daemon.stop());

  test('binds 127.0.0.1 and an SDK client with the bearer token initializes and creates a session', { timeout: TIMEOUT }, async () => {
    assert.equal(daemon.server.host, '127.0.0.1');
    assert.match(token, /^[A-Za-z0-9_-]{43}$/, '32 random bytes in base64url');
    const client = sdkClient(url, bearer(token));
    const init = await client.agent.request(acp.methods.agent.initialize, { protocolVersion: 1, clientCapabilities: {} });
    assert.equal(init.protocolVersion, 1);
    const session = await client.agent.request(acp.methods.agent.session.new, { cwd: tempHome(), mcpServers: [] });
    assert.equal(typeof session.sessionId, 'string');
    assert.equal(daemon.server.connectionCount(), 1);
    const live = daemon.manager.get(session.sessionId);
    assert.equal(live.attachedPorts, 1);
    client.close();
    await until(() => daemon.server.connectionCount() === 0, 5000, 'the connection to be released');
    // The dropped client is detached, but its session stays live for the next client.
    assert.equal(live.attachedPorts, 0);
    assert.equal(daemon.manager.get(session.sessionId), live);
  });

  test('the token as a subprotocol works, and a plain "acp" subprotocol is echoed', { timeout: TIMEOUT }, async () => {
    const socket = await openSocket(url, { protocols: ['acp', `tether.token.${token}`] });
    assert.equal(socket.protocol, 'acp');
    const answer = await exchange(socket, initializeFrame(1));
    assert.equal((answer.result as { protocolVersion: number }).protocolVersion, 1);
    socket.close();
    const alone = sdkClient(url, {}, [`tether.token.${token}`]);
    const init = await alone.agent.request(acp.methods.agent.initialize, { protocolVersion: 1, clientCapabilities: {} });
    assert.equal(init.protocolVersion, 1);
    alone.close();
  });

  test('no token, a wrong bearer token or a wrong token subprotocol: 401 and no upgrade', { timeout: TIMEOUT }, async () => {
    for (const options of [{}, { headers: bearer(`${token}x`) }, { headers: { Authorization: token } }, { protocols: ['acp', 'tether.token.nope'] }]) {
      const result = await attempt(url, options);
      assert.equal(result.kind, 'refused', JSON.stringify(options));
      if (result.kind !== 'refused') continue;
      assert.equal(result.status, 401);
      assert.equal(JSON.parse(result.body).error.code, 'unauthorized');
    }
    const missing = await attempt(url);
    assert.match(missing.kind === 'refused' ? missing.body : '', /Authorization: Bearer/);
  });

  test('a browser Origin is refused with 403 unless allow-listed, even with the token', { timeout: TIMEOUT }, async () => {
    const foreign = await attempt(url, { headers: bearer(token), origin: 'https://evil.example' });
    assert.deepEqual(foreign.kind === 'refused' && [foreign.status, JSON.parse(foreign.body).error.code], [403, 'origin_not_allowed']);
    const health = await get(url.replace('ws:', 'http:').replace('/acp', '/healthz'), { Origin: 'https://evil.example' });
    assert.equal(health.status, 403);
    const allowed = await openSocket(url, { headers: bearer(token), origin: 'https://editor.example' });
    allowed.close();
  });

  test('a non-loopback Host header is refused (DNS rebinding)', { timeout: TIMEOUT }, async () => {
    const response = await get(url.replace('ws:', 'http:').replace('/acp', '/healthz'), { Host: `rebind.example:${daemon.server.port}` });
    assert.equal(response.status, 403);
    assert.equal(JSON.parse(response.body).error.code, 'host_not_allowed');
  });

  test('/healthz answers {ok, pid, version}; plain GET /acp is 426; anything else 404', { timeout: TIMEOUT }, async () => {
    const base = `http://127.0.0.1:${daemon.server.port}`;
    const health = await get(`${base}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(JSON.parse(health.body), { ok: true, pid: process.pid, version: VERSION });
    assert.equal((await get(`${base}/acp`)).status, 426);
    assert.equal((await get(`${base}/nope`)).status, 404);
    const elsewhere = await attempt(`ws://127.0.0.1:${daemon.server.port}/other`, { headers: bearer(token) });
    assert.equal(elsewhere.kind === 'refused' && elsewhere.status, 404);
  });

  test('garbage frames get JSON-RPC errors with id null and the connection keeps working', { timeout: TIMEOUT }, async () => {
    const socket = await openSocket(url, { headers: bearer(token) });
    const cases: Array<[string | Buffer, boolean, number]> = [
      ['this is not json', false, -32700],
      [Buffer.from(initializeFrame(9)), true, -32600],
      ['[{"jsonrpc":"2.0","id":1,"method":"initialize"}]', false, -32600],
      ['42', false, -32600],
      ['{"hello":"world"}', false, -32600],
    ];
    for (const [frame, binary, code] of cases) {
      const answer = await exchange(socket, frame, binary);
      assert.equal(answer.id, null, String(frame));
      assert.equal((answer.error as { code: number }).code, code, String(frame));
    }
    const answer = await exchange(socket, initializeFrame('after-garbage'));
    assert.equal(answer.id, 'after-garbage');
    assert.ok(answer.result);
    socket.close();
  });
});

test('an oversize frame closes only that socket with 1009; others keep being served', { timeout: TIMEOUT }, async () => {
  const daemon = await startTestDaemon({ limits: { maxMessageBytes: 4096 } });
  try {
    const { url, token } = daemon.server;
    const bystander = await openSocket(url, { headers: bearer(token) });
    const offender = await openSocket(url, { headers: bearer(token) });
    const offenderClosed = closed(offender);
    offender.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { pad: 'x'.repeat(8192) } }));
    assert.equal((await offenderClosed).code, 1009);
    assert.ok((await exchange(bystander, initializeFrame(2))).result);
    const newcomer = await openSocket(url, { headers: bearer(token) });
    assert.ok((await exchange(newcomer, initializeFrame(3))).result);
    bystander.close();
    newcomer.close();
  } finally {
    await daemon.stop();
  }
});

test('max connections: one more gets 503 before the upgrade, and a freed slot is reusable', { timeout: TIMEOUT }, async () => {
  const daemon = await startTestDaemon({ limits: { maxConnections: 2 } });
  try {
    const { url, token } = daemon.server;
    const first = await openSocket(url, { headers: bearer(token) });
    const second = await openSocket(url, { headers: bearer(token) });
    const third = await attempt(url, { headers: bearer(token) });
    assert.equal(third.kind, 'refused');
    if (third.kind === 'refused') {
      assert.equal(third.status, 503);
      assert.equal(JSON.parse(third.body).error.code, 'too_many_connections');
    }
    first.close();
    await until(() => daemon.server.connectionCount() === 1, 5000, 'the slot to free');
    const fourth = await openSocket(url, { headers: bearer(token) });
    fourth.close();
    second.close();
  } finally {
    await daemon.stop();
  }
});

test('a peer that stops answering pings is dropped', { timeout: TIMEOUT }, async () => {
  const daemon = await startTestDaemon({ limits: { heartbeatMs: 100 } });
  try {
    const { url, token } = daemon.server;
    const silent = await openSocket(url, { headers: bearer(token), autoPong: false });
    const healthy = await openSocket(url, { headers: bearer(token) });
    const started = Date.now();
    const { code } = await closed(silent);
    assert.equal(code, 1006, 'terminated without a close frame');
    assert.ok(Date.now() - started < 2000);
    await until(() => daemon.server.connectionCount() === 1, 5000, 'the dead peer to be released');
    assert.equal(healthy.readyState, WebSocket.OPEN, 'a peer that answers pings stays');
    healthy.close();
  } finally {
    await daemon.stop();
  }
});

test('close() sends 1001 to every client, then refuses new ones', { timeout: TIMEOUT }, async () => {
  const daemon = await startTestDaemon();
  const { url, token, port } = daemon.server;
  const socket = await openSocket(url, { headers: bearer(token) });
  const whenClosed = closed(socket);
  await daemon.stop();
  const { code, reason } = await whenClosed;
  assert.equal(code, 1001);
  assert.match(reason, /shutting down/);
  assert.equal(daemon.server.connectionCount(), 0);
  await assert.rejects(attempt(`ws://127.0.0.1:${port}/acp`, { headers: bearer(token) }), /ECONNREFUSED/);
});

test('a non-loopback host is refused unless allowRemote is set', { timeout: TIMEOUT }, async () => {
  const daemon = await startTestDaemon();
  try {
    for (const host of ['0.0.0.0', '::', '192.0.2.7']) {
      await assert.rejects(
        startDaemon({ config: daemon.config, manager: daemon.manager, host }),
        (error: unknown) => error instanceof DaemonError && error.code === 'remote_bind_refused',
        host,
      );
    }
    const remote = await startDaemon({ config: daemon.config, manager: daemon.manager, host: '0.0.0.0', allowRemote: true });
    assert.ok(remote.port > 0);
    await remote.close();
  } finally {
    await daemon.stop();
  }
});

test('loopback hosts are recognized', () => {
  for (const host of ['127.0.0.1', '127.3.4.5', 'localhost', '::1', '[::1]']) assert.equal(isLoopbackHost(host), true, host);
  for (const host of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '128.0.0.1']) assert.equal(isLoopbackHost(host), false, host);
});
