// Benchmark: N scripted tool calls through the built `tether acp` over real stdio, against the
// scripted Chat Completions server on loopback. Prints one table; run with `npm run bench`.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import * as acp from '@agentclientprotocol/sdk';
import type { ServedRequest } from './model-server';

const SERVER = resolve(import.meta.dirname, '../dist/server/tether.cjs');

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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tether-bench-ws-'));
  mkdirSync(join(dir, 'src'));
  for (let i = 0; i < 5; i++) writeFileSync(join(dir, 'src', `file${i}.ts`), `export const value${i} = ${i};\n`.repeat(40));
  return dir;
}

/** Starts the scripted model server in its own process; resolves with its URL. */
function startModelServer(n: number): Promise<{ process: ChildProcess; url: string }> {
  const child = fork(resolve(import.meta.dirname, 'model-server.ts'), [String(n)], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  return new Promise((done) => child.once('message', (message) => done({ process: child, url: (message as { url: string }).url })));
}

function collectServed(model: ChildProcess): Promise<ServedRequest[]> {
  const reply = new Promise<ServedRequest[]>((done) => model.once('message', (message) => done((message as { served: ServedRequest[] }).served)));
  model.send('report');
  return reply;
}

async function runOnce(n: number): Promise<RunFigures> {
  const model = await startModelServer(n);
  const home = mkdtempSync(join(tmpdir(), 'tether-bench-home-'));
  const cwd = workspace();
  const started = performance.now();
  // BENCH_NODE_ARGS passes flags to the server's node, e.g. --cpu-prof to profile it.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, SERVER, 'acp', '--standalone'], {
    env: { ...process.env, TETHER_HOME: home, OPENAI_BASE_URL: model.url, TETHER_MODEL: 'scripted-model', OPENAI_API_KEY: 'bench', TETHER_MAX_TURN_REQUESTS: '500' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, pssKiB(child.pid!))), 5);
  let acpBytes = 0;
  const counted = (Readable.toWeb(child.stdout!) as ReadableStream<Uint8Array>).pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ transform: (chunk, ctl) => { acpBytes += chunk.byteLength; ctl.enqueue(chunk); } }));
  // The agent reports its own time per tool call (model response end → next request) in usage_update.
  const agentMs: number[] = [];
  const client = acp.client({ name: 'bench' }).onNotification(acp.methods.client.session.update, async ({ params }) => {
    if (params.update.sessionUpdate !== 'usage_update') return;
    const lastCall = (params.update._meta as { tether?: { lastCall?: { agentMs?: number | null } } } | undefined)?.tether?.lastCall;
    if (typeof lastCall?.agentMs === 'number') agentMs.push(lastCall.agentMs);
  });
  const connection = client.connect(acp.ndJsonStream(Writable.toWeb(child.stdin!) as WritableStream<Uint8Array>, counted as ReadableStream<Uint8Array>));
  await connection.agent.request('initialize', { protocolVersion: acp.PROTOCOL_VERSION, clientCapabilities: {} });
  const initializeMs = performance.now() - started;
  const beforeNew = performance.now();
  const { sessionId } = await connection.agent.request('session/new', { cwd, mcpServers: [] });
  const sessionNewMs = performance.now() - beforeNew;
  await connection.agent.request('session/set_mode', { sessionId, modeId: 'bypass' });
  const acpBefore = acpBytes;
  const response = await connection.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Read around.' }] });
  if (response.stopReason !== 'end_turn') throw new Error(`unexpected stop ${response.stopReason}`);
  const totalMs = performance.now() - started;
  clearInterval(sampler);
  const served = await collectServed(model.process);
  const gaps = served.slice(1).map((request, i) => request.receivedAt - served[i]!.completedAt!);
  const figures: RunFigures = {
    n,
    initializeMs,
    sessionNewMs,
    medianToolCallMs: median(agentMs),
    medianWireGapMs: median(gaps),
    peakPssMiB: peak / 1024,
    bytesToModel: served.reduce((sum, request) => sum + request.bytes, 0),
    acpBytesPerToolCall: (acpBytes - acpBefore) / n,
    totalMs,
  };
  // Ending stdin is how editors stop an agent; the server exits on its own.
  const exited = new Promise((resolve) => child.once('exit', resolve));
  connection.close();
  child.stdin!.end();
  await exited;
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

const TARGETS = 'targets: initialize ≤ 100 ms, session/new ≤ 20 ms, ≤ 5 ms per tool call, ≤ 60 MiB PSS, ≤ 2 KB ACP per tool call';

async function main(): Promise<void> {
  const rows: RunFigures[] = [];
  const sizes = (process.env.BENCH_SIZES ?? '5,20,50').split(',').map(Number);
  for (const n of sizes) rows.push(await runOnce(n));
  const header = ['N', 'init ms', 'new ms', 'agent ms/tool', 'wire gap ms', 'PSS MiB', 'model bytes', 'ACP B/tool', 'total ms'];
  const table = rows.map((r) => [
    String(r.n),
    r.initializeMs.toFixed(1),
    r.sessionNewMs.toFixed(1),
    r.medianToolCallMs.toFixed(2),
    r.medianWireGapMs.toFixed(2),
    r.peakPssMiB.toFixed(1),
    String(r.bytesToModel),
    r.acpBytesPerToolCall.toFixed(0),
    r.totalMs.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  for (const row of [header, ...table]) console.log(row.map((cell, i) => cell.padStart(widths[i]!)).join('  '));
  console.log('agent ms/tool: median, by the agent\'s clock, from the end of a model response to the next request (tool run included)');
  console.log('wire gap ms: the same gap by the model server\'s clock (adds both HTTP ends and process scheduling)');
  const floors: number[] = [];
  for (let i = 0; i < 5; i++) floors.push(await bareNodeMs());
  console.log(`baseline: a bare node process answers its first stdin line after ${median(floors).toFixed(1)} ms (median of 5)`);
  console.log(TARGETS);
}

await main();
