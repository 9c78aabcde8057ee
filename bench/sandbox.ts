// Cost of the command sandbox: median wall time of `true` and `echo hi` through the local shell
// runner, unconfined and inside bubblewrap (workspace-write, no network), 30 runs each.
// `node --import tsx bench/sandbox.ts`. Target: at most 20 ms of overhead per command.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxAvailability } from '../server/sandbox/availability';
import { createSandboxedShellRunner } from '../server/sandbox/sandboxed-shell';
import { createLocalShellRunner } from '../server/tools/local-shell';
import type { ShellRunner } from '../server/tools/types';
import { median, printTable } from './harness';

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
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}

await main();
