// Cost of the command sandbox: median wall time of `true` and `echo hi` through the local shell
// runner, unconfined and inside bubblewrap (workspace-write, no network), 30 runs each.
// Then a whole 50-tool-call run of `true` commands through `tether acp`, sandboxed and with the
// session's explicit full-access choice, side by side.
// `node --import tsx bench/sandbox.ts`. Target: at most 20 ms of overhead per command.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxAvailability } from '../server/sandbox/availability';
import { createSandboxedShellRunner } from '../server/sandbox/sandboxed-shell';
import { createLocalShellRunner } from '../server/tools/local-shell';
import type { ShellRunner } from '../server/tools/types';
import * as acp from '@agentclientprotocol/sdk';
import { startScriptedChatServer } from '../server/demo/scripted-chat-server';
import { median, printTable, spawnAgent } from './harness';

const RUNS = 30;
const TARGET_MS = 20;

async function timeRuns(runner: ShellRunner, command: string, cwd: string): Promise<number> {
  const options = { cwd, timeoutMs: 10_000, outputLimitBytes: 4096, signal: new AbortController().signal };
  await runner.run(command, options); // warm-up: page cache, first exec of bwrap
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const outcome = await runner.run(command, options);
    times.push(performance.now() - started);
    if (outcome.exitCode !== 0) throw new Error(`${command} failed: ${outcome.output}`);
  }
  return median(times);
}

/** Wall time of one prompt that runs `calls` shell commands, with the session's sandbox choice. */
async function runThroughAgent(calls: number, sandbox: 'workspace-write' | 'full-access', cwd: string): Promise<number> {
  const model = await startScriptedChatServer({
    script: (request) => {
      const done = (request.body.messages as Array<{ role: string }>).filter((m) => m.role === 'tool').length;
      return done < calls ? { toolCalls: [{ name: 'shell', arguments: { command: 'true' } }] } : { text: 'done' };
    },
  });
  const home = mkdtempSync(join(tmpdir(), 'tether-bench-sandbox-home-'));
  const agent = spawnAgent({ TETHER_HOME: home, OPENAI_BASE_URL: model.url, TETHER_MODEL: 'scripted-model', TETHER_MAX_TURN_REQUESTS: '500' });
  try {
    await agent.connection.agent.request('initialize', { protocolVersion: acp.PROTOCOL_VERSION, clientCapabilities: {} });
    const { sessionId } = await agent.connection.agent.request('session/new', { cwd, mcpServers: [] });
    await agent.connection.agent.request('session/set_mode', { sessionId, modeId: 'bypass' });
    await agent.connection.agent.request('session/set_config_option', { sessionId, configId: 'sandbox', value: sandbox });
    const started = performance.now();
    await agent.connection.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'run' }] });
    return performance.now() - started;
  } finally {
    await agent.stop();
    await model.close();
    rmSync(home, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const status = await sandboxAvailability();
  if (!status.available) throw new Error(status.notice);
  const ws = realpathSync(mkdtempSync(join(tmpdir(), 'tether-bench-sandbox-')));
  try {
    const local = createLocalShellRunner();
    const sandboxed = createSandboxedShellRunner({ policy: 'workspace-write', roots: { cwd: ws, additionalDirectories: [] }, network: false, fallback: local });
    const rows: string[][] = [];
    for (const command of ['true', 'echo hi']) {
      const plain = await timeRuns(local, command, ws);
      const boxed = await timeRuns(sandboxed, command, ws);
      const overhead = boxed - plain;
      rows.push([command, plain.toFixed(1), boxed.toFixed(1), overhead.toFixed(1), overhead <= TARGET_MS ? 'yes' : 'NO']);
    }
    console.log(`sandbox overhead, median of ${RUNS} runs (ms), bwrap at ${status.bwrapPath}`);
    printTable(['command', 'local', 'sandboxed', 'overhead', `<= ${TARGET_MS} ms`], rows);
    const calls = 50;
    const confined = await runThroughAgent(calls, 'workspace-write', ws);
    const open = await runThroughAgent(calls, 'full-access', ws);
    console.log(`a ${calls}-tool-call run of \`true\` through tether acp: ${confined.toFixed(0)} ms sandboxed, ${open.toFixed(0)} ms with full access (${((confined - open) / calls).toFixed(1)} ms per call)`);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}

await main();
