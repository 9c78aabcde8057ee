import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { AnyMessage, Stream } from '@agentclientprotocol/sdk';
import { WebSocket, WebSocketServer } from 'ws';
import { parseFrame, webSocketStream } from '../../../server/protocol/websocket-stream';
import { closed, until } from './helpers';

/** Socket tests fail instead of hanging when a close or an answer never comes. */
const TIMEOUT = 15_000;

// A bare ws server: each test gets the server side of a fresh socket wrapped as a Stream.
let wss: WebSocketServer;
let url: string;
before(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
});
after(() => {
  // A failed test may leave a socket open (or paused); do not let it hold the server.
  for (const socket of wss.clients) socket.terminate();
  return new Promise<void>((resolve) => wss.close(() => resolve()));
});

async function pair(options: Parameters<typeof webSocketStream>[1] = {}): Promise<{ client: WebSocket; server: WebSocket; stream: Stream }> {
  const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const client = new WebSocket(url);
  await new Promise((resolve) => client.once('open', resolve));
  const server = await accepted;
  return { client, server, stream: webSocketStream(server, options) };
}

const note = (n: number): AnyMessage => ({ jsonrpc: '2.0', method: 'note', params: { n } });

test('parseFrame: objects pass; binary, bad JSON, batches and scalars become errors', () => {
  assert.deepEqual(parseFrame(Buffer.from('{"jsonrpc":"2.0","method":"x"}'), false), { jsonrpc: '2.0', method: 'x' });
  const codes = [
    parseFrame(Buffer.from('{}'), true),
    parseFrame(Buffer.from('{'), false),
    parseFrame(Buffer.from('[]'), false),
    parseFrame(Buffer.from('null'), false),
  ].map((result) => (result instanceof Error ? (result as unknown as { code: number }).code : 'passed'));
  assert.deepEqual(codes, [-32600, -32700, -32600, -32600]);
});

test('messages flow both ways, one JSON-RPC message per text frame', { timeout: TIMEOUT }, async () => {
  const { client, stream } = await pair();
  const received: unknown[] = [];
  client.on('message', (data, isBinary) => received.push([isBinary, JSON.parse(data.toString())]));
  const writer = stream.writable.getWriter();
  await writer.write(note(1));
  await writer.write(note(2));
  await until(() => received.length === 2, 2000, 'two frames');
  assert.deepEqual(received, [[false, note(1)], [false, note(2)]]);
  client.send(JSON.stringify(note(3)));
  const reader = stream.readable.getReader();
  assert.deepEqual((await reader.read()).value, note(3));
  client.close();
});

test('a reader that falls behind pauses the socket, and catching up resumes it in order', { timeout: TIMEOUT }, async () => {
  const { client, server, stream } = await pair({ readHighWaterMark: 2 });
  for (let n = 0; n < 20; n++) client.send(JSON.stringify(note(n)));
  await until(() => server.isPaused, 2000, 'the socket to pause');
  const reader = stream.readable.getReader();
  const seen: number[] = [];
  while (seen.length < 20) seen.push(((await reader.read()).value as { params: { n: number } }).params.n);
  assert.deepEqual(seen, [...Array(20).keys()]);
  assert.equal(server.isPaused, false);
  client.close();
});

test('writes wait for the flush once the socket queue is above the mark', { timeout: TIMEOUT }, async () => {
  const { client, stream } = await pair({ writeHighWaterMark: 1024 });
  // A client that stops reading: once kernel buffers fill, the frame cannot flush.
  client.pause();
  const writer = stream.writable.getWriter();
  const size = 24 * 1024 * 1024;
  let settled = false;
  const write = writer.write({ jsonrpc: '2.0', method: 'big', params: { pad: 'x'.repeat(size) } }).then(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(settled, false, 'the write waits while the peer is not reading');
  const got = new Promise<number>((resolve) => client.once('message', (data) => resolve(data.toString().length)));
  client.resume();
  await write;
  assert.ok((await got) > size);
  client.close();
});

test('the peer closing ends the readable; later writes reject', { timeout: TIMEOUT }, async () => {
  const { client, stream } = await pair();
  const reader = stream.readable.getReader();
  client.close(1000);
  assert.equal((await reader.read()).done, true);
  await assert.rejects(stream.writable.getWriter().write(note(1)), /closed/);
});

test('closing the writable or cancelling the readable closes the socket with 1000', { timeout: TIMEOUT }, async () => {
  const first = await pair();
  const firstClosed = closed(first.client);
  await first.stream.writable.close();
  assert.equal((await firstClosed).code, 1000);
  const second = await pair();
  const secondClosed = closed(second.client);
  await second.stream.readable.cancel();
  assert.equal((await secondClosed).code, 1000);
});
