// Commands a session runs are confined by the sandbox of its mode; where no sandbox can run,
// every command is asked, even in bypass mode, and "always" is not remembered for it.
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SandboxPort } from '../../server/session/command-sandbox';
import { startHarness } from './harness';

test('a command cannot write outside the workspace or see Tether\'s data, even in bypass mode', async () => {
  // Outside /tmp: the sandbox gives commands a private /tmp, where a write would succeed harmlessly.
  const outside = join(homedir(), `tether-escape-test-${process.pid}.txt`);
  let home = '';
  const h = await startHarness({
    script: (_request, index) =>
      index === 0 ? { toolCalls: [{ name: 'shell', arguments: { command: `echo x > ${outside}; ls ${home}/sessions | wc -l; echo inside > ok.txt` } }] } : { text: 'done' },
  });
  home = h.home;
  try {
    await h.initialize();
    const { sessionId } = await h.newSession();
    await h.agent.request('session/set_mode', { sessionId, modeId: 'bypass' });
    await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'try' }] });
    assert.equal(existsSync(outside), false, 'nothing written outside the workspace');
    assert.equal(existsSync(join(h.workspace, 'ok.txt')), true, 'the workspace is writable');
    const result = h.model.requests[1]!.body.messages.find((m: { role: string }) => m.role === 'tool').content as string;
    assert.match(result, /Read-only file system/);
    assert.match(result, /sessions': No such file or directory\n0/, "the session logs under TETHER_HOME are hidden");
  } finally {
    await h.close();
  }
});

test('with no sandbox available, every command is asked, even in bypass mode, and "always" is not kept', async () => {
  const h = await startHarness({
    script: [
      { toolCalls: [{ name: 'shell', arguments: { command: 'echo one' } }] },
      { toolCalls: [{ name: 'shell', arguments: { command: 'echo one' } }] },
      { text: 'done' },
    ],
  });
  try {
    const unavailable = { available: false as const, reason: 'missing' as const, notice: 'bubblewrap is not installed.' };
    const fake: SandboxPort = { status: async () => unavailable, known: () => unavailable, hiddenPaths: () => [] };
    (h.manager as unknown as { local: { sandbox: SandboxPort } }).local.sandbox = fake;
    h.setPermissionPolicy(() => ({ outcome: { outcome: 'selected', optionId: 'allow_always' } }));
    await h.initialize();
    const { sessionId } = await h.newSession();
    await h.agent.request('session/set_mode', { sessionId, modeId: 'bypass' });
    await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'run twice' }] });
    assert.equal(h.permissionRequests.length, 2, 'asked both times');
    assert.match(h.permissionRequests[0]!.toolCall.title ?? '', /no sandbox/);
  } finally {
    await h.close();
  }
});

test('full access is an explicit per-session choice: shown as a config option, kept across a reload', async () => {
  let outside = '';
  const h = await startHarness({
    keepFiles: true,
    script: (_request, index) => (index % 2 === 0 ? { toolCalls: [{ name: 'shell', arguments: { command: `echo x > ${outside}` } }] } : { text: 'done' }),
  });
  outside = join(h.workspace, '..', 'outside.txt');
  try {
    await h.initialize();
    const { sessionId, configOptions } = await h.newSession();
    assert.equal(configOptions?.find((o) => o.id === 'sandbox')?.currentValue, 'workspace-write');
    await h.agent.request('session/set_mode', { sessionId, modeId: 'bypass' });
    await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'sandboxed' }] });
    assert.equal(existsSync(outside), false, 'sandboxed: the write went to a private /tmp');
    const set = await h.agent.request('session/set_config_option', { sessionId, configId: 'sandbox', value: 'full-access' });
    assert.equal(set.configOptions.find((o) => o.id === 'sandbox')?.currentValue, 'full-access');
    await h.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'unconfined' }] });
    assert.equal(existsSync(outside), true, 'full access: the write reached the host');
    await h.manager.shutdown();
    const reloaded = await startHarness({ home: h.home, workspace: h.workspace });
    try {
      await reloaded.initialize();
      const loaded = await reloaded.agent.request('session/load', { sessionId, cwd: h.workspace, mcpServers: [] });
      assert.equal(loaded.configOptions?.find((o) => o.id === 'sandbox')?.currentValue, 'full-access');
    } finally {
      await reloaded.close();
    }
  } finally {
    await h.close();
    rmSync(join(h.workspace, '..'), { recursive: true, force: true });
  }
});
