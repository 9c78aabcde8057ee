// The loop on its own: real provider client against the scripted Chat Completions server,
// real tools in a temp workspace, hooks recorded.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startScriptedChatServer, type ScriptedResponse } from '../../../server/demo/scripted-chat-server';
import { runTurn } from '../../../server/loop/agent-loop';
import type { Authorization, LoopEvent, PreparedCall } from '../../../server/loop/events';
import type { HistoryItem } from '../../../server/loop/items';
import { createOpenAIChatProvider } from '../../../server/providers/openai-chat';
import { diskFileAccess } from '../../../server/tools/disk-files';
import { createLocalShellRunner } from '../../../server/tools/local-shell';
import { ALL_TOOLS } from '../../../server/tools/registry';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function turn(script: ScriptedResponse[], options: { maxTurnRequests?: number; authorize?: (call: PreparedCall) => Authorization; outputLimit?: number } = {}) {
  const server = await startScriptedChatServer({ script });
  cleanups.push(() => server.close());
  const cwd = mkdtempSync(join(tmpdir(), 'tether-loop-'));
  cleanups.push(async () => rmSync(cwd, { recursive: true, force: true }));
  const events: LoopEvent[] = [];
  const history: HistoryItem[] = [{ type: 'user', parts: [{ type: 'text', text: 'go' }] }];
  const controller = new AbortController();
  const run = () =>
    runTurn({
      provider: createOpenAIChatProvider({ baseUrl: server.url, models: ['m'] }),
      model: 'm',
      instructions: 'test',
      cwd,
      history,
      maxTurnRequests: options.maxTurnRequests ?? 10,
      toolOutputLimitBytes: options.outputLimit,
      signal: controller.signal,
      hooks: {
        offeredTools: () => ALL_TOOLS.filter((tool) => tool.name !== 'exit_plan_mode'),
        authorize: async (call) => options.authorize?.(call) ?? { allowed: true },
        toolContext: (_call, signal) => ({
          cwd,
          additionalDirectories: [],
          signal,
          files: diskFileAccess,
          shell: createLocalShellRunner(),
          plan: { publishPlan: () => undefined, requestPlanExit: async () => ({ approved: false }), askQuestions: async () => ({ kind: 'skipped' }) },
        }),
        emit: (event) => events.push(event),
      },
    });
  return { server, cwd, events, run, controller };
}

const historyItems = (events: LoopEvent[]) => events.flatMap((e) => (e.type === 'history' ? [e.item] : []));

test('tool results go back in call order and the turn ends when the model stops', async () => {
  const t = await turn([
    { toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }, { name: 'read_file', arguments: { path: 'missing.txt' } }] },
    { text: 'done' },
  ]);
  writeFileSync(join(t.cwd, 'a.txt'), 'alpha\n');
  assert.equal(await t.run(), 'end_turn');
  const items = historyItems(t.events);
  assert.deepEqual(items.map((i) => i.type), ['assistant', 'tool_result', 'tool_result', 'assistant']);
  const [, ok, missing] = items as Array<Extract<HistoryItem, { type: 'tool_result' }>>;
  assert.equal(ok!.isError, false);
  assert.match(ok!.output, /alpha/);
  assert.equal(missing!.isError, true, 'a missing file goes back to the model as an error it can fix');
  const sent = t.server.requests[1]!.body.messages.filter((m: { role: string }) => m.role === 'tool');
  assert.equal(sent.length, 2);
});

test('bad JSON, unknown tools and invalid arguments are reported to the model, not thrown', async () => {
  const t = await turn([
    {
      toolCalls: [
        { name: 'read_file', arguments: '{"path": ' },
        { name: 'teleport', arguments: {} },
        { name: 'read_file', arguments: { path: 42 } },
      ],
    },
    { text: 'ok' },
  ]);
  assert.equal(await t.run(), 'end_turn');
  const results = historyItems(t.events).filter((i) => i.type === 'tool_result') as Array<Extract<HistoryItem, { type: 'tool_result' }>>;
  assert.match(results[0]!.output, /not valid JSON/);
  assert.match(results[1]!.output, /not available/);
  assert.match(results[2]!.output, /Invalid arguments/);
  assert.ok(results.every((r) => r.isError));
});

test('a denied call is not run and the reason reaches the model', async () => {
  const t = await turn([{ toolCalls: [{ name: 'write_file', arguments: { path: 'x.txt', content: 'x' } }] }, { text: 'ok' }], {
    authorize: () => ({ allowed: false, reason: 'nope, says the user' }),
  });
  assert.equal(await t.run(), 'end_turn');
  const result = historyItems(t.events).find((i) => i.type === 'tool_result');
  assert.ok(result && result.type === 'tool_result' && result.output === 'nope, says the user');
  assert.ok(!t.events.some((e) => e.type === 'tool_running'));
});

test('the turn stops with max_turn_requests when the model keeps calling tools', async () => {
  const again = { toolCalls: [{ name: 'glob', arguments: { pattern: '*' } }] };
  const t = await turn([again, again, again, again], { maxTurnRequests: 3 });
  assert.equal(await t.run(), 'max_turn_requests');
  assert.equal(t.server.requests.length, 3);
});

test('consecutive reads run in parallel; a write waits for them', async () => {
  const t = await turn([
    {
      toolCalls: [
        { name: 'shell', arguments: { command: 'true' } },
        { name: 'read_file', arguments: { path: 'a.txt' } },
        { name: 'grep', arguments: { pattern: 'alpha' } },
        { name: 'write_file', arguments: { path: 'b.txt', content: 'b' } },
      ],
    },
    { text: 'ok' },
  ]);
  writeFileSync(join(t.cwd, 'a.txt'), 'alpha\n');
  assert.equal(await t.run(), 'end_turn');
  const order = t.events.flatMap((e) => (e.type === 'tool_running' || e.type === 'tool_done' ? [`${e.type}:${e.callId}`] : []));
  const ids = t.server.requests[1]!.body.messages.find((m: { role: string }) => m.role === 'assistant').tool_calls.map((c: { id: string }) => c.id);
  const [shellId, readId, grepId, writeId] = ids;
  // Both reads start before either finishes; the write starts after both are done.
  assert.ok(order.indexOf(`tool_running:${grepId}`) < order.indexOf(`tool_done:${readId}`));
  assert.ok(order.indexOf(`tool_done:${shellId}`) < order.indexOf(`tool_running:${readId}`));
  assert.ok(order.indexOf(`tool_done:${grepId}`) < order.indexOf(`tool_running:${writeId}`));
});

test('oversized tool output is cut with a marker before it reaches the model', async () => {
  const t = await turn([{ toolCalls: [{ name: 'shell', arguments: { command: 'seq 1 20000' } }] }, { text: 'ok' }], { outputLimit: 2000 });
  assert.equal(await t.run(), 'end_turn');
  const result = historyItems(t.events).find((i) => i.type === 'tool_result');
  assert.ok(result && result.type === 'tool_result');
  assert.ok(Buffer.byteLength(result.output) < 2200);
  assert.match(result.output, /truncated/);
});
