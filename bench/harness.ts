// Shared pieces of the benchmarks: the built server driven by the SDK client over real stdio,
// scripted model servers in child processes, and small statistics.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import * as acp from '@agentclientprotocol/sdk';

export const SERVER_BUNDLE = resolve(import.meta.dirname, '../dist/server/tether.cjs');

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Starts a bench model-server script in its own process; resolves once it reports its URL. */
export function forkServer(script: string, args: string[]): Promise<{ process: ChildProcess; url: string }> {
  const child = fork(resolve(import.meta.dirname, script), args, { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  return new Promise((done) => child.once('message', (message) => done({ process: child, url: (message as { url: string }).url })));
}

/** Asks a forked server for its report; it closes itself afterwards. */
export function serverReport<T>(server: ChildProcess): Promise<T> {
  const reply = new Promise<T>((done) => server.once('message', (message) => done(message as T)));
  server.send('report');
  return reply;
}

export interface BenchAgent {
  child: ChildProcess;
  connection: acp.ClientConnection;
  /** Bytes the agent has written to stdout so far. */
  acpBytes(): number;
  /** Every session/update received, in order. */
  updates: acp.SessionNotification[];
  stop(): Promise<void>;
}

/** Spawns `tether acp --standalone` with `env` and connects the SDK client to its stdio. */
export function spawnAgent(env: Record<string, string>, nodeArgs: string[] = []): BenchAgent {
  const child = spawn(process.execPath, [...nodeArgs, SERVER_BUNDLE, 'acp', '--standalone'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  let bytes = 0;
  const counted = (Readable.toWeb(child.stdout!) as ReadableStream<Uint8Array>).pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform: (chunk, controller) => {
        bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
    }),
  );
  const updates: acp.SessionNotification[] = [];
  const client = acp.client({ name: 'bench' }).onNotification(acp.methods.client.session.update, async ({ params }) => {
    updates.push(params);
  });
  const connection = client.connect(acp.ndJsonStream(Writable.toWeb(child.stdin!) as WritableStream<Uint8Array>, counted as ReadableStream<Uint8Array>));
  return {
    child,
    connection,
    acpBytes: () => bytes,
    updates,
    // Ending stdin is how editors stop an agent; the server exits on its own.
    stop: async () => {
      const exited = new Promise((done) => child.once('exit', done));
      connection.close();
      child.stdin!.end();
      await exited;
    },
  };
}

/** The `_meta.tether` of the last usage_update: the agent's own byte and token accounting. */
export function lastUsageMeta(updates: acp.SessionNotification[]): { totals: Record<string, number>; lastCall: Record<string, number | null> | null } | undefined {
  const usage = updates.map((n) => n.update).filter((u) => u.sessionUpdate === 'usage_update').at(-1);
  return (usage?._meta as { tether?: { totals: Record<string, number>; lastCall: Record<string, number | null> | null } } | undefined)?.tether;
}

export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padStart(widths[i]!)).join('  '));
}
