// Benchmark: N scripted tool calls through the built `tether acp` over real stdio, against the
// scripted Chat Completions server in its own process. Prints one table; `npm run bench`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as acp from '@agentclientprotocol/sdk';
import { forkServer, median, printTable, serverReport, spawnAgent } from './harness';
import type { ServedRequest } from './model-server';

interface RunFigures {
  n: number;
  initializeMs: number;
  sessionNewMs: number;
  medianToolCallMs: number;
  medianWireGapMs: number;
  peakPssMiB: number;
  bytesToModel: number;
  acpBytesPerToolCall: number;
  totalMs: number;
}

function pssKiB(pid: number): number {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tether-bench-ws-'));
  mkdirSync(join(dir, 'src'));
  for (let i = 0; i < 5; i++) writeFileSync(join(dir, 'src', `file${i}.ts`), `export const value${i} = ${i};\n`.repeat(40));
  return dir;
}

/** The agent reports its own time per tool call (model response end → next request) in usage_update. */
function agentMsOf(updates: acp.SessionNotification[]): number[] {
  return updates.flatMap((n) => {
    const lastCall = (n.update._meta as { tether?: { lastCall?: { agentMs?: number | null } } } | undefined)?.tether?.lastCall;
    return n.update.sessionUpdate === 'usage_update' && typeof lastCall?.agentMs === 'number' ? [lastCall.agentMs] : [];
  });
}

async function runOnce(n: number): Promise<RunFigures> {
  const model = await forkServer('model-server.ts', [String(n)]);
  const home = mkdtempSync(join(tmpdir(), 'tether-bench-home-'));
  const cwd = workspace();
  const started = performance.now();
  // BENCH_NODE_ARGS passes flags to the server's node, e.g. --cpu-prof to profile it.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const env = { TETHER_HOME: home, OPENAI_BASE_URL: model.url, TETHER_MODEL: 'scripted-model', OPENAI_API_KEY: 'bench', TETHER_MAX_TURN_REQUESTS: '500' };
  const agent = spawnAgent(env, nodeArgs);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, pssKiB(agent.child.pid!))), 5);
  await agent.connection.agent.request('initialize', { protocolVersion: acp.PROTOCOL_VERSION, clientCapabilities: {} });
  const initializeMs = performance.now() - started;
  const beforeNew = performance.now();
  const { sessionId } = await agent.connection.agent.request('session/new', { cwd, mcpServers: [] });
  const sessionNewMs = performance.now() - beforeNew;
  await agent.connection.agent.request('session/set_mode', { sessionId, modeId: 'bypass' });
  const acpBefore = agent.acpBytes();
  const response = await agent.connection.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Read around.' }] });
  if (response.stopReason !== 'end_turn') throw new Error(`unexpected stop ${response.stopReason}`);
  const totalMs = performance.now() - started;
  clearInterval(sampler);
  const { served } = await serverReport<{ served: ServedRequest[] }>(model.process);
  const gaps = served.slice(1).map((request, i) => request.receivedAt - served[i]!.completedAt!);
  const figures: RunFigures = {
    n,
    initializeMs,
    sessionNewMs,
    medianToolCallMs: median(agentMsOf(agent.updates)),
    medianWireGapMs: median(gaps),
    peakPssMiB: peak / 1024,
    bytesToModel: served.reduce((sum, request) => sum + request.bytes, 0),
    acpBytesPerToolCall: (agent.acpBytes() - acpBefore) / n,
    totalMs,
  };
  await agent.stop();
  rmSync(home, { recursive: true, force: true });
  rmSync(cwd, { recursive: true, force: true });
  return figures;
}

/** Spawn-to-answer of a bare node that echoes one line: the floor under `init ms` on this machine. */
async function bareNodeMs(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', "process.stdin.once('data', (d) => { process.stdout.write(d); process.exit(0); })"], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin!.write('{"jsonrpc":"2.0","id":1,"method":"initialize"}\n');
  await new Promise((done) => child.stdout!.once('data', done));
  const elapsed = performance.now() - started;
  await new Promise((done) => child.once('exit', done));
  return elapsed;
}

async function main(): Promise<void> {
  const rows: RunFigures[] = [];
  const sizes = (process.env.BENCH_SIZES ?? '5,20,50').split(',').map(Number);
  for (const n of sizes) rows.push(await runOnce(n));
  printTable(
    ['N', 'init ms', 'new ms', 'agent ms/tool', 'wire gap ms', 'PSS MiB', 'model bytes', 'ACP B/tool', 'total ms'],
    rows.map((r) => [
      String(r.n),
      r.initializeMs.toFixed(1),
      r.sessionNewMs.toFixed(1),
      r.medianToolCallMs.toFixed(2),
      r.medianWireGapMs.toFixed(2),
      r.peakPssMiB.toFixed(1),
      String(r.bytesToModel),
      r.acpBytesPerToolCall.toFixed(0),
      r.totalMs.toFixed(0),
    ]),
  );
  console.log("agent ms/tool: median, by the agent's clock, from the end of a model response to the next request (tool run included)");
  console.log("wire gap ms: the same gap by the model server's clock (adds both HTTP ends and process scheduling)");
  const floors: number[] = [];
  for (let i = 0; i < 5; i++) floors.push(await bareNodeMs());
  console.log(`baseline: a bare node process answers its first stdin line after ${median(floors).toFixed(1)} ms (median of 5)`);
  console.log('targets: initialize ≤ 100 ms, session/new ≤ 20 ms, ≤ 5 ms per tool call, ≤ 60 MiB PSS, ≤ 2 KB ACP per tool call');
}

await main();
