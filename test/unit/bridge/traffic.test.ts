import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TrafficBook } from '../../../server/bridge/traffic';

const update = (sessionId: string, seq?: unknown) => ({
  jsonrpc: '2.0',
  method: 'session/update',
  params: { sessionId, update: { sessionUpdate: 'agent_message_chunk' }, ...(seq === undefined ? {} : { _meta: { tether: { seq } } }) },
});

test('remembers the latest initialize params', () => {
  const book = new TrafficBook();
  assert.equal(book.initializeParams, undefined);
  book.editorRequest({ id: 0, method: 'initialize', params: { protocolVersion: 1 } });
  book.editorRequest({ id: 1, method: 'initialize', params: { protocolVersion: 1, clientInfo: { name: 'zed' } } });
  assert.deepEqual(book.initializeParams, { protocolVersion: 1, clientInfo: { name: 'zed' } });
});

test('sessions come from successful new, load and resume, and leave with close', () => {
  const book = new TrafficBook();
  book.editorRequest({ id: 1, method: 'session/new', params: { cwd: '/w' } });
  book.agentResponse({ id: 1, result: { sessionId: 'A' } });
  book.editorRequest({ id: 2, method: 'session/load', params: { sessionId: 'B' } });
  book.agentResponse({ id: 2, result: {} });
  book.editorRequest({ id: 3, method: 'session/resume', params: { sessionId: 'C' } });
  book.agentResponse({ id: 3, result: {} });
  book.editorRequest({ id: 4, method: 'session/load', params: { sessionId: 'D' } });
  book.agentResponse({ id: 4, error: { code: -32002, message: 'not found' } });
  book.editorRequest({ id: 5, method: 'session/new', params: { cwd: 'relative' } });
  book.agentResponse({ id: 5, error: { code: -32602, message: 'bad cwd' } });
  assert.deepEqual(book.attachTargets().map((t) => t.sessionId), ['A', 'B', 'C']);
  book.editorRequest({ id: 6, method: 'session/close', params: { sessionId: 'B' } });
  book.agentResponse({ id: 6, result: {} });
  assert.deepEqual(book.attachTargets().map((t) => t.sessionId), ['A', 'C']);
});

test('tracks the highest seq per session, including a load replay sent before the load answer', () => {
  const book = new TrafficBook();
  book.editorRequest({ id: 'l', method: 'session/load', params: { sessionId: 'S' } });
  for (const seq of [1, 2, 3]) book.agentNotification(update('S', seq));
  book.agentResponse({ id: 'l', result: {} });
  book.agentNotification(update('S', 4));
  book.agentNotification(update('S', 2)); // never moves back
  book.agentNotification(update('S')); // no seq: ignored
  book.agentNotification(update('S', '9')); // not a number: ignored
  book.agentNotification({ method: 'session/other', params: { sessionId: 'S', _meta: { tether: { seq: 50 } } } });
  assert.deepEqual(book.attachTargets(), [{ sessionId: 'S', afterSeq: 4 }]);
  book.noteSeq('S', 7);
  assert.equal(book.lastSeq('S'), 7);
  book.forget('S');
  assert.deepEqual(book.attachTargets(), []);
});

test('a new session starts from seq 0', () => {
  const book = new TrafficBook();
  book.editorRequest({ id: 1, method: 'session/new', params: { cwd: '/w' } });
  book.agentResponse({ id: 1, result: { sessionId: 'N' } });
  assert.deepEqual(book.attachTargets(), [{ sessionId: 'N', afterSeq: 0 }]);
});

test('in-flight requests are the unanswered ones, oldest first, with 1 and "1" kept apart', () => {
  const book = new TrafficBook();
  book.editorRequest({ id: 1, method: 'session/prompt', params: { sessionId: 'A' } });
  book.editorRequest({ id: '1', method: 'session/set_mode', params: { sessionId: 'A' } });
  book.editorRequest({ id: 2, method: 'session/list', params: {} });
  book.agentResponse({ id: '1', result: {} });
  book.agentResponse({ id: 99, result: {} }); // unknown: ignored
  assert.equal(book.pendingCount, 2);
  assert.deepEqual(book.takeInFlight(), [
    { id: 1, method: 'session/prompt' },
    { id: 2, method: 'session/list' },
  ]);
  assert.deepEqual(book.takeInFlight(), []);
});
