import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MODES, verdictFor } from '../../../server/permissions/modes';
import { askUser } from '../../../server/tools/ask-user';
import { exitPlanMode } from '../../../server/tools/exit-plan-mode';
import { updatePlan } from '../../../server/tools/update-plan';
import type { PlanHooks, PlanItem, PlanModeExit, QuestionsAnswer, UserQuestion } from '../../../server/tools/types';
import { makeContext, runTool, tempDir } from './helpers';

function planHooks(answer: PlanModeExit, seen: { plans: PlanItem[][]; exits: [string, AbortSignal][] }): PlanHooks {
  return {
    publishPlan: (entries) => void seen.plans.push(entries),
    requestPlanExit: async (plan, signal) => {
      seen.exits.push([plan, signal]);
      return answer;
    },
    askQuestions: async () => ({ kind: 'skipped' }),
  };
}

describe('update_plan', () => {
  const ws = tempDir();

  it('publishes every entry with medium as the default priority', async () => {
    const seen = { plans: [] as PlanItem[][], exits: [] as [string, AbortSignal][] };
    const ctx = makeContext(ws, { plan: planHooks({ approved: false }, seen) });
    const entries = [
      { content: 'Read the code', status: 'completed', priority: 'high' },
      { content: 'Write the fix', status: 'in_progress' },
      { content: 'Run the tests', status: 'pending', priority: 'low' },
    ];
    const result = await runTool(updatePlan, { entries }, ctx);
    assert.deepEqual(seen.plans, [
      [
        { content: 'Read the code', status: 'completed', priority: 'high' },
        { content: 'Write the fix', status: 'in_progress', priority: 'medium' },
        { content: 'Run the tests', status: 'pending', priority: 'low' },
      ],
    ]);
    assert.equal(result.output, 'Plan updated: 1 of 3 done.');
  });

  it('rejects unknown statuses through its schema', () => {
    assert.equal(updatePlan.input.safeParse({ entries: [{ content: 'x', status: 'done' }] }).success, false);
  });
});

describe('exit_plan_mode', () => {
  const ws = tempDir();
  const plan = '# Plan\n\n1. Fix the bug';

  it('on approval tells the model the new mode and to implement the plan', async () => {
    const seen = { plans: [] as PlanItem[][], exits: [] as [string, AbortSignal][] };
    const ctx = makeContext(ws, { plan: planHooks({ approved: true, nextMode: 'accept-edits' }, seen) });
    const result = await runTool(exitPlanMode, { plan }, ctx);
    assert.deepEqual(seen.exits, [[plan, ctx.signal]]);
    assert.equal(result.output, 'The user approved the plan; mode is now accept-edits. Implement it now.');
    assert.deepEqual(result.display, [{ type: 'text', text: plan }]);
  });

  it('on refusal passes the user feedback on', async () => {
    const seen = { plans: [] as PlanItem[][], exits: [] as [string, AbortSignal][] };
    const ctx = makeContext(ws, { plan: planHooks({ approved: false, feedback: 'Also handle Windows paths.' }, seen) });
    const result = await runTool(exitPlanMode, { plan }, ctx);
    assert.equal(result.output, 'The user wants to keep planning. Their feedback: Also handle Windows paths.');
  });

  it('on refusal without feedback says to keep planning', async () => {
    const seen = { plans: [] as PlanItem[][], exits: [] as [string, AbortSignal][] };
    const ctx = makeContext(ws, { plan: planHooks({ approved: false }, seen) });
    assert.match((await runTool(exitPlanMode, { plan }, ctx)).output, /^The user wants to keep planning\./);
  });
});

describe('ask_user', () => {
  const ws = tempDir();
  const questions = [{ question: 'Tabs or spaces?', options: ['tabs', 'spaces'] }, { question: 'Which file?' }];

  async function ask(answer: QuestionsAnswer): Promise<{ output: string; asked: UserQuestion[][] }> {
    const asked: UserQuestion[][] = [];
    const plan: PlanHooks = {
      publishPlan: () => undefined,
      requestPlanExit: () => Promise.reject(new Error('not a plan exit')),
      askQuestions: async (qs) => {
        asked.push(qs);
        return answer;
      },
    };
    const result = await runTool(askUser, { questions }, makeContext(ws, { plan }));
    return { output: result.output, asked };
  }

  it('passes the questions on and gives the model each question with its answer', async () => {
    const { output, asked } = await ask({ kind: 'answered', answers: ['spaces', ' '] });
    assert.deepEqual(asked, [questions]);
    assert.equal(output, 'The user answered:\nQ: Tabs or spaces?\nA: spaces\nQ: Which file?\nA: (no answer)');
  });

  it('says what to do when the editor cannot answer inline, when skipped and when cancelled', async () => {
    assert.match((await ask({ kind: 'no_inline_answer' })).output, /could not answer inline.*Ask these questions in your reply/);
    assert.match((await ask({ kind: 'skipped' })).output, /skipped the questions.*assumptions and state them/);
    assert.equal((await ask({ kind: 'cancelled' })).output, 'The questions were cancelled.');
  });

  it('takes 1 to 4 non-empty questions', () => {
    const many = (n: number) => ({ questions: Array.from({ length: n }, (_, i) => ({ question: `q${i}` })) });
    assert.equal(askUser.input.safeParse(many(1)).success, true);
    assert.equal(askUser.input.safeParse(many(4)).success, true);
    assert.equal(askUser.input.safeParse(many(0)).success, false);
    assert.equal(askUser.input.safeParse(many(5)).success, false);
    assert.equal(askUser.input.safeParse({ questions: [{ question: '' }] }).success, false);
  });

  it('is offered and runs unasked in every mode, plan included', () => {
    for (const { id } of MODES) assert.equal(verdictFor(id, askUser.name, askUser.access), 'allow', id);
  });
});
