import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestPermissionRequest } from '@agentclientprotocol/sdk';
import { PermissionBroker, responseFor } from '../../../extension/session/permission-broker';

const questions: RequestPermissionRequest = {
  sessionId: 's',
  toolCall: { toolCallId: 'c', title: 'Question', kind: 'think' },
  options: [
    { optionId: 'answer', name: 'Answer', kind: 'allow_once' },
    { optionId: 'skip', name: 'Skip', kind: 'reject_once' },
  ],
  _meta: { tether: { questions: [{ question: 'Which style?', options: ['formal', 'casual'] }] } },
};

describe('permission answers', () => {
  it('carries answers and trimmed feedback under _meta.tether', () => {
    assert.deepEqual(responseFor(questions, { optionId: 'answer', answers: ['casual'] }), {
      outcome: { outcome: 'selected', optionId: 'answer' },
      _meta: { tether: { answers: ['casual'] } },
    });
    assert.deepEqual(responseFor(questions, { optionId: 'skip', feedback: '   ' }), { outcome: { outcome: 'selected', optionId: 'skip' } });
  });

  it('an option the request did not offer, or none, is a cancellation', () => {
    assert.deepEqual(responseFor(questions, { optionId: 'allow_always' }), { outcome: { outcome: 'cancelled' } });
    assert.deepEqual(responseFor(questions, {}), { outcome: { outcome: 'cancelled' } });
  });

  it('goes to the notification when the panel is hidden, and only questions-free choices are offered there', async () => {
    const broker = new PermissionBroker();
    const notified: string[][] = [];
    broker.attach({ show: () => false, resolved: () => {}, notify: async (_p, options) => (notified.push(options.map((o) => o.optionId)), undefined) });
    const pending = broker.ask(questions);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(notified, [[]]);
    broker.cancelAll();
    assert.deepEqual(await pending, { outcome: { outcome: 'cancelled' } });
  });

  it('a choice made in the notification answers the request', async () => {
    const broker = new PermissionBroker();
    const resolved: string[] = [];
    broker.attach({ show: () => false, resolved: (id) => resolved.push(id), notify: async () => 'skip' });
    assert.deepEqual(await broker.ask(questions), { outcome: { outcome: 'selected', optionId: 'skip' } });
    assert.equal(resolved.length, 1);
    assert.equal(broker.pending().length, 0);
  });
});
