// ask_user's permission request and how its answers are read: the wire shape editors rely on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestPermissionResponse } from '@agentclientprotocol/sdk';
import { questionsRequest, readQuestionsAnswer } from '../../../server/session/permission-prompt';

const options = [
  { optionId: 'answer', name: 'Answer', kind: 'allow_once' },
  { optionId: 'skip', name: 'Skip', kind: 'reject_once' },
];

const chose = (optionId: string, meta?: Record<string, unknown>): RequestPermissionResponse => ({ outcome: { outcome: 'selected', optionId }, ...(meta ? { _meta: meta } : {}) });

describe('questionsRequest', () => {
  it('lists the questions and their options, and carries them under _meta.tether', () => {
    const questions = [{ question: 'Tabs or spaces?', options: ['tabs', 'spaces'] }, { question: 'Which file?' }];
    assert.deepEqual(questionsRequest('s1', 'call-1', questions), {
      sessionId: 's1',
      toolCall: {
        toolCallId: 'call-1',
        title: 'Question from the agent',
        kind: 'think',
        status: 'pending',
        content: [{ type: 'content', content: { type: 'text', text: '1. Tabs or spaces? (tabs / spaces)\n2. Which file?' } }],
      },
      options,
      _meta: { tether: { questions } },
    });
  });

  it('titles a single question with the question itself', () => {
    const request = questionsRequest('s1', 'call-2', [{ question: 'Keep the old API?' }]);
    assert.equal(request.toolCall.title, 'Keep the old API?');
    assert.deepEqual(request.options, options);
  });
});

describe('readQuestionsAnswer', () => {
  it('reads one answer per question, blank where one is missing or not text', () => {
    const answer = readQuestionsAnswer(chose('answer', { tether: { answers: ['spaces', 42] } }), 3);
    assert.deepEqual(answer, { kind: 'answered', answers: ['spaces', '', ''] });
  });

  it('tells a plain client (Answer without answers) from a skip and a cancel', () => {
    assert.deepEqual(readQuestionsAnswer(chose('answer'), 1), { kind: 'no_inline_answer' });
    assert.deepEqual(readQuestionsAnswer(chose('answer', { tether: { answers: 'spaces' } }), 1), { kind: 'no_inline_answer' });
    assert.deepEqual(readQuestionsAnswer(chose('skip', { tether: { answers: ['ignored'] } }), 1), { kind: 'skipped' });
    assert.deepEqual(readQuestionsAnswer({ outcome: { outcome: 'cancelled' } }, 1), { kind: 'cancelled' });
  });

  it('counts an option it did not offer (an unattended timeout answers reject_once) as a skip', () => {
    assert.deepEqual(readQuestionsAnswer(chose('reject_once'), 1), { kind: 'skipped' });
  });
});
