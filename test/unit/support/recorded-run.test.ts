import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  EXAMPLE_FIX,
  RECORDED_RUN_REQUESTS,
  nextRecordedResponse,
  recordedRun,
  type RecordedResponse,
} from '../../../server/demo/recorded-run';

const EXAMPLE = join(import.meta.dirname, '../../../server/demo/example');

function runExampleTests(dir: string): { status: number | null; output: string } {
  // NODE_TEST_CONTEXT would make the inner runner report to this one instead of running normally.
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
  delete env.NODE_TEST_CONTEXT;
  const result = spawnSync(process.execPath, ['--test'], { cwd: dir, encoding: 'utf8', env });
  return { status: result.status, output: result.stdout + result.stderr };
}

/** Chat history the agent would send after answering `responses` with `results`. */
function history(steps: Array<{ response: RecordedResponse; results: Record<string, string> }>) {
  const messages: unknown[] = [{ role: 'system', content: 'x' }, { role: 'user', content: 'Fix the failing test' }];
  for (const { response, results } of steps) {
    messages.push({
      role: 'assistant',
      content: response.text ?? null,
      tool_calls: response.toolCalls?.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments) } })),
    });
    for (const c of response.toolCalls ?? []) messages.push({ role: 'tool', tool_call_id: c.id, content: results[c.id] ?? 'ok' });
  }
  return { model: 'm', messages };
}

describe('example project', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'tether-example-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('has a failing test before the recorded edit and passes after it', () => {
    cpSync(EXAMPLE, scratch, { recursive: true });
    const before = runExampleTests(scratch);
    assert.notEqual(before.status, 0);
    assert.match(before.output, /# fail 1\b/);

    const file = join(scratch, EXAMPLE_FIX.path);
    const source = readFileSync(file, 'utf8');
    assert.equal(source.split(EXAMPLE_FIX.old_text).length, 2, 'old_text occurs exactly once');
    writeFileSync(file, source.replace(EXAMPLE_FIX.old_text, EXAMPLE_FIX.new_text));

    const afterFix = runExampleTests(scratch);
    assert.equal(afterFix.status, 0, afterFix.output);
    assert.match(afterFix.output, /# pass 5\b/);
  });
});

describe('recorded run', () => {
  const results: Record<string, string> = {
    call_plan_exit: 'The user approved the plan. Mode is now accept-edits.',
    call_fix_test: '> duration-kit@1.2.0 test\n> node --test\n# tests 5\n# pass 5\n# fail 0\nexit code 0',
  };

  it('walks plan → exit_plan_mode → edit → shell → plan done → summary', () => {
    const done: Array<{ response: RecordedResponse; results: Record<string, string> }> = [];
    const names: string[][] = [];
    for (let i = 0; i < RECORDED_RUN_REQUESTS; i++) {
      const response = nextRecordedResponse(history(done));
      names.push((response.toolCalls ?? []).map((c) => c.name));
      done.push({ response, results });
    }
    assert.deepEqual(names, [['glob', 'read_file'], ['read_file', 'read_file'], ['update_plan'], ['exit_plan_mode'], ['edit_file'], ['shell'], ['update_plan'], []]);
    assert.match(done.at(-1)!.response.text ?? '', /5 of 5 tests/);
    const plan = done[2]!.response.toolCalls![0]!.arguments as { entries: Array<{ status: string }> };
    assert.ok(plan.entries.every((e) => e.status === 'pending'));
    const finalPlan = done[6]!.response.toolCalls![0]!.arguments as { entries: Array<{ status: string }> };
    assert.ok(finalPlan.entries.every((e) => e.status === 'completed'));
  });

  it('runs no shell and no edit before the plan is approved', () => {
    const done: Array<{ response: RecordedResponse; results: Record<string, string> }> = [];
    for (let i = 0; i < 4; i++) {
      const response = nextRecordedResponse(history(done));
      assert.ok(!(response.toolCalls ?? []).some((c) => ['shell', 'edit_file', 'write_file'].includes(c.name)));
      done.push({ response, results });
    }
  });

  it('stays in plan mode when the user keeps planning', () => {
    const done: Array<{ response: RecordedResponse; results: Record<string, string> }> = [];
    for (let i = 0; i < 4; i++) {
      const response = nextRecordedResponse(history(done));
      done.push({ response, results: { call_plan_exit: 'The user chose to keep planning.' } });
    }
    const next = nextRecordedResponse(history(done));
    assert.equal(next.toolCalls, undefined);
    assert.match(next.text ?? '', /staying in plan mode/);
  });

  it('stops with an explanation when the edit fails', () => {
    const done: Array<{ response: RecordedResponse; results: Record<string, string> }> = [];
    for (let i = 0; i < 5; i++) {
      const response = nextRecordedResponse(history(done));
      done.push({ response, results: { ...results, call_fix_edit: 'Error: old_text not found in src/parse-duration.js' } });
    }
    assert.match(nextRecordedResponse(history(done)).text ?? '', /edit step failed/);
  });

  it('accepts the request as a recorded request with a string or object body', () => {
    const script = recordedRun({ chunkDelayMs: 0 });
    const first = script({ body: JSON.stringify(history([])) }, 0);
    assert.equal(first.toolCalls?.[0]?.name, 'glob');
    assert.equal(first.chunkDelayMs, 0);
    assert.equal(script({ body: history([]) }, 0).toolCalls?.[0]?.name, 'glob');
  });
});
