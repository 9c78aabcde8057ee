// Benchmark: N scripted tool calls through the built `tether acp` over real stdio, against the
// scripted Chat Completions server on loopback. Prints one table; run with `npm run bench`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import * as acp from '@agentclientprotocol/sdk';
import { startScriptedChatServer, type ScriptedResponse } from '../server/demo/scripted-chat-server';

const SERVER = resolve(import.meta.dirname, '../dist/server/tether.cjs');

interface RunFigures {
  n: number;
  initializeMs: number;
  sessionNewMs: number;
  medianToolCallMs: number;
  peakPssMiB: number;
  bytesToModel: number;
  acpBytesPerToolCall: number;
  totalMs: number;
}

function script(n: number): ScriptedResponse[] {
  const calls: ScriptedResponse[] = [];
  for (let i = 0; i < n; i++) {
    calls.push({ toolCalls: [i % 2 === 0 ? { name: 'read_file', arguments: { path: `src/file${i % 5}.ts` } } : { name: 'grep', arguments: { pattern: 'export' } }] });
  }
  calls.push({ text: 'Finished.' });
  return calls;
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

async function runOnce(n: number): Promise<RunFigures> {
  const model = await startScriptedChatServer({ script: script(n) });
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
  const client = acp.client({ name: 'bench' }).onNotification(acp.methods.client.session.update, async () => undefined);
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
  const gaps = model.requests.slice(1).map((request, i) => request.receivedAt - model.requests[i]!.completedAt!);
  const figures: RunFigures = {
    n,
    initializeMs,
    sessionNewMs,
    medianToolCallMs: median(gaps),
    peakPssMiB: peak / 1024,
    bytesToModel: model.requests.reduce((sum, request) => sum + request.bytes, 0),
    acpBytesPerToolCall: (acpBytes - acpBefore) / n,
    totalMs,
  };
  // Ending stdin is how editors stop an agent; the server exits on its own.
  const exited = new Promise((resolve) => child.once('exit', resolve));
  connection.close();
  child.stdin!.end();
  await exited;
  await model.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(cwd, { recursive: true, force: true });
  return figures;
}

const TARGETS = 'targets: initialize ≤ 100 ms, session/new ≤ 20 ms, ≤ 5 ms per tool call, ≤ 60 MiB PSS, ≤ 2 KB ACP per tool call';

async function main(): Promise<void> {
  const rows: RunFigures[] = [];
  const sizes = (process.env.BENCH_SIZES ?? '5,20,50').split(',').map(Number);
  for (const n of sizes) rows.push(await runOnce(n));
  const fmt = (value: number, digits = 1) => value.toFixed(digits).padStart(10);
  console.log('   N  init ms  new ms  ms/tool  PSS MiB  model bytes  ACP B/tool  total ms');
  for (const r of rows) {
    console.log(`${String(r.n).padStart(4)} ${fmt(r.initializeMs).slice(1)} ${fmt(r.sessionNewMs).slice(2)} ${fmt(r.medianToolCallMs, 2).slice(2)} ${fmt(r.peakPssMiB).slice(1)} ${String(r.bytesToModel).padStart(12)} ${fmt(r.acpBytesPerToolCall, 0).slice(-10)} ${fmt(r.totalMs, 0).slice(0)}`);
  }
  console.log(TARGETS);
}

await main();
