import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AgentRequestIds } from '../../../server/bridge/agent-requests';
import {
  ATTACH_METHOD,
  PrivateIds,
  attachedLastSeq,
  interruptedAnswer,
  reattachPlan,
  requestLine,
  supportsAttach,
  unavailableAnswer,
} from '../../../server/bridge/reattach';

test('nothing to restore before the editor initialized', () => {
  assert.deepEqual(reattachPlan(undefined, [{ sessionId: 'A', afterSeq: 3 }]), { attaches: [] });
});

test('the plan re-sends the editor initialize, then one attach per session from its last seq', () => {
  const init = { protocolVersion: 1, clientCapabilities: { fs: { readTextFile: true } } };
  const plan = reattachPlan(init, [
    { sessionId: 'A', afterSeq: 3 },
    { sessionId: 'B', afterSeq: 0 },
  ]);
  assert.deepEqual(plan, {
    initialize: { method: 'initialize', params: init },
    attaches: [
      { method: '_tether/session/attach', params: { sessionId: 'A', afterSeq: 3 } },
      { method: '_tether/session/attach', params: { sessionId: 'B', afterSeq: 0 } },
    ],
  });
  assert.equal(ATTACH_METHOD, '_tether/session/attach');
});

test('private ids are distinct prefixed strings and request lines are JSON-RPC 2.0', () => {
  const ids = new PrivateIds();
  const a = ids.take();
  const b = ids.take();
  assert.notEqual(a, b);
  assert.match(a, /^tether-bridge:\d+$/);
  assert.deepEqual(JSON.parse(requestLine(a, ATTACH_METHOD, { sessionId: 'A', afterSeq: 1 })), {
    jsonrpc: '2.0',
    id: a,
    method: ATTACH_METHOD,
    params: { sessionId: 'A', afterSeq: 1 },
  });
});

test('attach support is read from the initialize result root or agentCapabilities', () => {
  assert.equal(supportsAttach({ _meta: { tether: { attach: true } } }), true);
  assert.equal(supportsAttach({ agentCapabilities: { _meta: { tether: { attach: true } } } }), true);
  assert.equal(supportsAttach({ agentCapabilities: { loadSession: true } }), false);
  assert.equal(supportsAttach({ _meta: { tether: { attach: 'yes' } } }), false);
  assert.equal(supportsAttach(null), false);
});

test('the lastSeq of an attach answer is used only when it is a non-negative integer', () => {
  assert.equal(attachedLastSeq({ lastSeq: 12 }), 12);
  assert.equal(attachedLastSeq({ lastSeq: 0 }), 0);
  assert.equal(attachedLastSeq({ lastSeq: -1 }), undefined);
  assert.equal(attachedLastSeq({ lastSeq: 1.5 }), undefined);
  assert.equal(attachedLastSeq({}), undefined);
});

test('an interrupted prompt gets -32603 with its own id and a message that says what happened', () => {
  const answer = JSON.parse(interruptedAnswer({ id: 7, method: 'session/prompt' }));
  assert.equal(answer.jsonrpc, '2.0');
  assert.equal(answer.id, 7);
  assert.equal(answer.error.code, -32603);
  assert.match(answer.error.message, /daemon restarted; the turn was interrupted/);
  assert.equal(answer.error.data.tether.method, 'session/prompt');
  const other = JSON.parse(interruptedAnswer({ id: 'x', method: 'session/list' }));
  assert.equal(other.id, 'x');
  assert.match(other.error.message, /session\/list/);
  assert.equal('result' in other, false);
  const unavailable = JSON.parse(unavailableAnswer(3, 'initialize', 'no daemon'));
  assert.equal(unavailable.id, 3);
  assert.match(unavailable.error.message, /not available: no daemon/);
});

test('daemon requests are renumbered for the editor and their answers mapped back once', () => {
  const ids = new AgentRequestIds();
  const first = ids.toEditor(0);
  const second = ids.toEditor('perm-1');
  assert.notEqual(first, second);
  assert.deepEqual(ids.toDaemon(second), { id: 'perm-1' });
  assert.equal(ids.toDaemon(second), undefined); // answered already
  assert.equal(ids.toDaemon(String(first) as never), undefined);
  assert.equal(ids.forgetAll(), 1);
  assert.equal(ids.toDaemon(first), undefined); // its connection is gone
  // After a restart the daemon reuses id 0; the editor still sees a fresh id.
  assert.notEqual(ids.toEditor(0), first);
});
