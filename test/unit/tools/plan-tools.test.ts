import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exitPlanMode } from '../../../server/tools/exit-plan-mode';
import { updatePlan } from '../../../server/tools/update-plan';
import type { PlanHooks, PlanItem, PlanModeExit } from '../../../server/tools/types';
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
