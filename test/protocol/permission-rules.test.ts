// Permissions that stick: "always for this project" survives a restart, list shows the rules in
// force, revoke takes one back, and saved rules never loosen plan mode.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type * as acp from '@agentclientprotocol/sdk';
import { rulePaths } from '../../server/permissions/workspace-rules';
import { startHarness, type Harness } from './harness';

interface Listed {
  rules: Array<{ id: string; tier: string; tool: string; pattern?: string; decision: string }>;
}

const choose = (optionId: string) => (): acp.RequestPermissionResponse => ({ outcome: { outcome: 'selected', optionId } });
const shellCall = (command: string) => ({ toolCalls: [{ name: 'shell', arguments: { command } }] });
const commandOf = (request: acp.RequestPermissionRequest) => (request.toolCall.rawInput as { command: string }).command;

function tempRoot(t: { after(fn: () => void): void }) {
  const root = mkdtempSync(join(tmpdir(), 'tether-rules-proto-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const workspace = join(root, 'ws');
  mkdirSync(workspace);
  writeFileSync(join(workspace, 'package.json'), JSON.stringify({ name: 'ws', scripts: { test: 'echo tests-passed' } }));
  return { home: join(root, 'home'), workspace };
}

async function prompt(h: Harness, sessionId: string, text: string) {
  return h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text }] });
}

test('"always for this project" on npm test holds after a restart, only for that command, until revoked', async (t) => {
  const { home, workspace } = tempRoot(t);
  const first = await startHarness({ home, workspace, script: [shellCall('npm test'), { text: 'done' }] });
  try {
    first.setPermissionPolicy(choose('allow_project'));
    await first.initialize();
    const { sessionId } = await first.newSession();
    await prompt(first, sessionId, 'run the tests');
    const offered = first.permissionRequests[0]!.options.find((o) => o.optionId === 'allow_project');
    assert.deepEqual([offered?.kind, offered?.name], ['allow_always', 'Always allow `npm test` for this project']);
    assert.ok(existsSync(rulePaths(home, workspace).project), 'saved under TETHER_HOME');
    assert.ok(!existsSync(join(workspace, '.tether')), 'nothing written into the workspace');
  } finally {
    await first.close();
  }

  // A new SessionManager on the same TETHER_HOME: a restart.
  const second = await startHarness({
    home,
    workspace,
    script: [shellCall('npm test'), shellCall('rm x'), { text: 'ok' }, shellCall('npm test'), { text: 'ok' }],
  });
  try {
    second.setPermissionPolicy(choose('reject_once'));
    await second.initialize();
    const { sessionId } = await second.newSession();
    await prompt(second, sessionId, 'test, then clean up');
    assert.deepEqual(second.permissionRequests.map(commandOf), ['rm x'], 'npm test ran unasked; rm x was asked');
    const toolResult = second.model.requests[1]!.body.messages.find((m: { role: string }) => m.role === 'tool').content as string;
    assert.match(toolResult, /tests-passed/);

    const listed = await second.agent.request<Listed>('_tether/permissions/list', { sessionId });
    const rule = listed.rules.find((r) => r.tier === 'project');
    assert.deepEqual(rule && { ...rule, id: undefined }, { id: undefined, tier: 'project', tool: 'shell', pattern: 'npm test', decision: 'allow' });

    assert.deepEqual(await second.agent.request('_tether/permissions/revoke', { sessionId, id: rule!.id }), {});
    assert.deepEqual((await second.agent.request<Listed>('_tether/permissions/list', { sessionId })).rules, []);
    await prompt(second, sessionId, 'test again');
    assert.deepEqual(second.permissionRequests.map(commandOf), ['rm x', 'npm test'], 'asked again after revoke');
    await assert.rejects(second.agent.request('_tether/permissions/revoke', { sessionId, id: rule!.id }), /No permission rule/);
  } finally {
    await second.close();
  }
});

test('session rules are listed and revoked alongside saved ones', async (t) => {
  const { home, workspace } = tempRoot(t);
  const h = await startHarness({ home, workspace, script: [shellCall('echo hi'), { text: 'ok' }, shellCall('echo hi'), { text: 'ok' }] });
  try {
    h.setPermissionPolicy(choose('allow_always'));
    await h.initialize();
    const { sessionId } = await h.newSession();
    await prompt(h, sessionId, 'say hi');
    const { rules } = await h.agent.request<Listed>('_tether/permissions/list', { sessionId });
    assert.deepEqual(rules.map((r) => [r.tier, r.tool, r.pattern, r.decision]), [['session', 'shell', 'echo hi', 'allow']]);
    await h.agent.request('_tether/permissions/revoke', { sessionId, id: rules[0]!.id });
    h.setPermissionPolicy(choose('allow_once'));
    await prompt(h, sessionId, 'say hi again');
    assert.equal(h.permissionRequests.length, 2, 'asked again once the session rule was revoked');
    // A reload from the log must not bring the revoked rule back.
    await h.manager.shutdown();
    const reloaded = await startHarness({ home, workspace });
    try {
      await reloaded.initialize();
      await reloaded.agent.request('session/load', { sessionId, cwd: workspace, mcpServers: [] });
      const after = await reloaded.agent.request<Listed>('_tether/permissions/list', { sessionId });
      assert.deepEqual(after.rules, []);
    } finally {
      await reloaded.close();
    }
  } finally {
    await h.close();
  }
});

test('saved rules never loosen plan mode, and a user deny holds even in bypass mode', async (t) => {
  const { home, workspace } = tempRoot(t);
  mkdirSync(home, { recursive: true });
  const rules = [
    { tool: 'write_file', decision: 'allow', addedAt: '2025-01-01T00:00:00Z' },
    { tool: 'shell', pattern: 'touch *', decision: 'deny', addedAt: '2025-01-01T00:00:00Z' },
  ];
  writeFileSync(join(home, 'permissions.json'), JSON.stringify({ version: 1, rules }));
  const h = await startHarness({
    home,
    workspace,
    script: [{ toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'x' } }] }, { text: 'ok' }, shellCall('touch b.txt'), { text: 'ok' }],
  });
  try {
    await h.initialize();
    const { sessionId } = await h.newSession();
    await h.agent.request('session/set_mode', { sessionId, modeId: 'plan' });
    await prompt(h, sessionId, 'write a');
    assert.ok(!existsSync(join(workspace, 'a.txt')), 'plan mode denied the write despite the allow rule');
    await h.agent.request('session/set_mode', { sessionId, modeId: 'bypass' });
    await prompt(h, sessionId, 'touch b');
    assert.ok(!existsSync(join(workspace, 'b.txt')), 'the deny rule held in bypass mode');
    const denial = h.model.requests[3]!.body.messages.at(-1).content as string;
    assert.match(denial, /denied `touch \*` in the user's settings/);
    assert.equal(h.permissionRequests.length, 0);
  } finally {
    await h.close();
  }
});
