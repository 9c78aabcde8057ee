// Benchmark: the same scripted task (N read_file calls) through `tether acp` for every provider
// and transport, side by side in one run: bytes sent to the model, the last request's size,
// bytes per tool call, and wall time under a simulated link for WebSocket vs HTTP.
// `npm run bench:providers`; BENCH_SIZES=5,20,50 by default.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as acp from '@agentclientprotocol/sdk';
import { forkServer, lastUsageMeta, printTable, serverReport, spawnAgent } from './harness';
import type { ServedSizes, ServerKind } from './provider-server';

/** 50 ms one-way latency, 20 Mbit/s up: a decent home connection to a model API. */
const LINK = { latencyMs: 50, uploadBytesPerSecond: 20_000_000 / 8 };

interface Variant {
  name: string;
  kind: ServerKind;
  link: boolean;
  env(url: string): Record<string, string>;
}

const VARIANTS: Variant[] = [
  { name: 'responses/websocket', kind: 'responses', link: true, env: (url) => ({ TETHER_PROVIDER: 'openai-responses', OPENAI_BASE_URL: url, OPENAI_API_KEY: 'bench', TETHER_OPENAI_TRANSPORT: 'websocket' }) },
  { name: 'responses/http', kind: 'responses', link: true, env: (url) => ({ TETHER_PROVIDER: 'openai-responses', OPENAI_BASE_URL: url, OPENAI_API_KEY: 'bench', TETHER_OPENAI_TRANSPORT: 'http' }) },
  { name: 'chat-completions', kind: 'chat', link: false, env: (url) => ({ TETHER_PROVIDER: 'openai-chat', OPENAI_BASE_URL: url, OPENAI_API_KEY: 'bench' }) },
  { name: 'anthropic', kind: 'anthropic', link: false, env: (url) => ({ TETHER_PROVIDER: 'anthropic', ANTHROPIC_BASE_URL: url, ANTHROPIC_API_KEY: 'bench' }) },
];

/** Ten ~2 KB source files of varied text, so compression is not flattered by repetition. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tether-bench-ws-'));
  mkdirSync(join(dir, 'src'));
  let seed = 7;
  const next = () => (seed = (seed * 48271) % 2147483647);
  const words = ['parse', 'token', 'buffer', 'state', 'render', 'offset', 'queue', 'limit', 'cache', 'merge', 'scope', 'frame'];
  for (let file = 0; file < 10; file++) {
    const lines: string[] = [];
    while (lines.join('\n').length < 2000) {
      const a = words[next() % words.length]!;
      const b = words[next() % words.length]!;
      lines.push(`export function ${a}${b[0]!.toUpperCase()}${b.slice(1)}${next() % 1000}(value: number): number { return value * ${next() % 97} + ${next() % 13}; }`);
    }
    writeFileSync(join(dir, 'src', `module${file}.ts`), `${lines.join('\n')}\n`);
  }
  return dir;
}

interface Row {
  variant: string;
  n: number;
  jsonBytes: number;
  wireBytes: number;
  lastRequest: number;
  statelessBytes: number;
  wallMs: number;
}

async function run(variant: Variant, n: number, cwd: string): Promise<Row> {
  const server = await forkServer('provider-server.ts', [variant.kind, String(n), variant.link ? JSON.stringify(LINK) : '']);
  const home = mkdtempSync(join(tmpdir(), 'tether-bench-home-'));
  const agent = spawnAgent({ TETHER_HOME: home, TETHER_MODEL: 'bench-model', TETHER_MAX_TURN_REQUESTS: '500', ...variant.env(server.url) });
  await agent.connection.agent.request('initialize', { protocolVersion: acp.PROTOCOL_VERSION, clientCapabilities: {} });
  const { sessionId } = await agent.connection.agent.request('session/new', { cwd, mcpServers: [] });
  await agent.connection.agent.request('session/set_mode', { sessionId, modeId: 'bypass' });
  const started = performance.now();
  const response = await agent.connection.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Read the modules.' }] });
  const wallMs = performance.now() - started;
  if (response.stopReason !== 'end_turn') throw new Error(`${variant.name}: unexpected stop ${response.stopReason}`);
  const sizes = await serverReport<ServedSizes>(server.process);
  const totals = lastUsageMeta(agent.updates)?.totals;
  await agent.stop();
  rmSync(home, { recursive: true, force: true });
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    variant: variant.name,
    n,
    jsonBytes: sum(sizes.bytes),
    wireBytes: sum(sizes.wireBytes),
    lastRequest: sizes.bytes.at(-1) ?? 0,
    statelessBytes: totals?.statelessBytes ?? NaN,
    wallMs,
  };
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);

async function main(): Promise<void> {
  const cwd = workspace();
  const rows: Row[] = [];
  const sizes = (process.env.BENCH_SIZES ?? '5,20,50').split(',').map(Number);
  for (const n of sizes) for (const variant of VARIANTS) rows.push(await run(variant, n, cwd));
  rmSync(cwd, { recursive: true, force: true });
  printTable(
    ['provider/transport', 'N', 'JSON sent KiB', 'on wire KiB', 'last req KiB', 'KiB/tool', 'stateless KiB', 'wall ms'],
    rows.map((r) => [r.variant, String(r.n), kib(r.jsonBytes), kib(r.wireBytes), kib(r.lastRequest), kib(r.jsonBytes / r.n), kib(r.statelessBytes), r.wallMs.toFixed(0)]),
  );
  console.log(`wall ms: Responses variants under a simulated link (${LINK.latencyMs} ms latency each way, ${(LINK.uploadBytesPerSecond * 8) / 1e6} Mbit/s up); the others on bare loopback`);
  for (const n of sizes) {
    const ws = rows.find((r) => r.variant === 'responses/websocket' && r.n === n)!;
    const http = rows.find((r) => r.variant === 'responses/http' && r.n === n)!;
    console.log(`N=${n}: WebSocket sends ${((1 - ws.jsonBytes / http.jsonBytes) * 100).toFixed(0)}% fewer JSON bytes than HTTP, ${((1 - ws.wireBytes / http.wireBytes) * 100).toFixed(0)}% fewer on the wire, and takes ${((1 - ws.wallMs / http.wallMs) * 100).toFixed(0)}% less wall time`);
  }
  console.log('targets at N=50 on WebSocket: ≤ 400 KiB JSON over the run, ≤ 100 KiB on the wire, ≥ 30% less wall time than HTTP');
}

await main();
