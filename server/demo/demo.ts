// `tether demo`: one whole session through the real server, on a copy of a small example
// project with a failing test. The agent plans in plan mode, the plan is approved, it fixes
// the bug, runs the tests and sums up. Without OPENAI_API_KEY / OPENAI_BASE_URL the model's
// side is a recorded run served over loopback HTTP; everything else is real.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { choosePermissionOption, driveAgent, type DriveResult } from './driver';
import { DEMO_PROMPT, recordedRun } from './recorded-run';
import { startScriptedChatServer, type ScriptedChatServer } from './scripted-chat-server';
import { TranscriptPrinter } from './transcript';

export { choosePermissionOption, DEMO_PROMPT };

export interface DemoOptions {
  /** Command-line flags after `demo`. */
  args?: string[];
  /** Environment the demo reads and passes on (default process.env). */
  env?: Record<string, string | undefined>;
  /** Where the transcript goes (default stdout). */
  write?: (text: string) => void;
  /** argv that starts the ACP server (default: this executable, `acp --standalone`). */
  tetherCommand?: string[];
  /** The example project to copy (default: found next to the bundle or the sources). */
  exampleDir?: string;
  color?: boolean;
}

export interface DemoFigures {
  toolCalls: number;
  failedToolCalls: number;
  permissionRequests: number;
  modelRequests?: number;
  bytesToModel?: number;
  bytesFromModel?: number;
  acpBytes: { toAgent: number; fromAgent: number };
  acpMessages: { toAgent: number; fromAgent: number };
  wallMs: number;
}

export interface DemoResult {
  exitCode: number;
  replay: boolean;
  scratchDir: string;
  projectDir: string;
  drive: DriveResult;
  testsPass: boolean;
  figures: DemoFigures;
  /** The order of things the transcript showed (message, tool:kind, permission:kind, diff, ...). */
  events: string[];
}

interface DemoFlags {
  recorded: boolean;
  fast: boolean;
  clean: boolean;
  help: boolean;
}

const HELP = `tether demo [--recorded] [--fast] [--clean]

Runs one whole session through the real Tether ACP server on a copy of a small example
project with a failing test: plan mode, plan approval, the fix, the test run, a summary.

  --recorded   replay the recorded model run even when OPENAI_API_KEY is set
  --fast       replay without the streaming pauses
  --clean      delete the scratch directory after a successful run (kept by default)

With OPENAI_API_KEY (or OPENAI_BASE_URL for a local server) and TETHER_MODEL set, a real
model drives the session; otherwise a recorded run is replayed over loopback HTTP.
`;

function parseFlags(args: string[]): DemoFlags {
  const flags: DemoFlags = { recorded: false, fast: false, clean: false, help: false };
  for (const arg of args) {
    if (arg === '--recorded') flags.recorded = true;
    else if (arg === '--fast') flags.fast = true;
    else if (arg === '--clean') flags.clean = true;
    else if (arg === '--help' || arg === '-h') flags.help = true;
    else throw new Error(`unknown option for demo: ${arg}\n\n${HELP}`);
  }
  return flags;
}

/** The example project: next to the bundle when installed, in the sources in a checkout. */
export function findExampleDir(): string {
  const bases = [typeof __dirname === 'string' ? __dirname : undefined, process.argv[1] ? dirname(process.argv[1]) : undefined].filter(
    (b): b is string => b !== undefined,
  );
  const candidates = [
    ...bases.flatMap((base) => [join(base, 'demo-example'), join(base, 'example'), join(base, '../../server/demo/example')]),
    join(process.cwd(), 'server/demo/example'),
  ];
  const found = [...new Set(candidates)].find((dir) => existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src/parse-duration.js')));
  if (!found) throw new Error(`cannot find the demo's example project; looked in:\n  ${[...new Set(candidates)].join('\n  ')}`);
  return found;
}

const MODEL_ENV = /^(OPENAI_|TETHER_)/;

function agentEnv(env: Record<string, string | undefined>, home: string, server?: ScriptedChatServer): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) {
    // Test-runner state must not leak into the example's own `node --test` run.
    if (key === 'NODE_TEST_CONTEXT' || (server && MODEL_ENV.test(key))) continue;
    out[key] = value;
  }
  out.TETHER_HOME = home;
  out.TETHER_PROVIDER = 'openai-chat';
  if (server) {
    out.OPENAI_BASE_URL = server.url;
    out.OPENAI_API_KEY = 'recorded-run';
    out.TETHER_MODEL = RECORDED_MODEL;
  }
  return out;
}

const RECORDED_MODEL = 'tether-demo-recording';

function verifyTests(projectDir: string, env: Record<string, string | undefined>): { pass: boolean; output: string } {
  const clean = { ...env };
  delete clean.NODE_TEST_CONTEXT;
  delete clean.NODE_OPTIONS;
  const run = spawnSync(process.execPath, ['--test'], { cwd: projectDir, env: clean, encoding: 'utf8', timeout: 60_000 });
  return { pass: run.status === 0, output: `${run.stdout ?? ''}${run.stderr ?? ''}` };
}

function formatBytes(n: number | undefined): string {
  if (n === undefined) return 'n/a';
  return n < 10_000 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB`;
}

function printFigures(printer: TranscriptPrinter, figures: DemoFigures, replay: boolean): void {
  const source = replay ? 'counted by the local model server' : 'reported by the agent in usage_update';
  printer.heading('figures');
  printer.line(`  tool calls           ${figures.toolCalls}${figures.failedToolCalls ? ` (${figures.failedToolCalls} failed)` : ''}`);
  printer.line(`  permission requests  ${figures.permissionRequests}`);
  printer.line(`  model requests       ${figures.modelRequests ?? 'n/a'}  (${source})`);
  printer.line(`  bytes to the model   ${formatBytes(figures.bytesToModel)}`);
  printer.line(`  bytes from the model ${formatBytes(figures.bytesFromModel)}`);
  printer.line(`  ACP over stdio       ${figures.acpMessages.toAgent} messages / ${formatBytes(figures.acpBytes.toAgent)} to the agent, ${figures.acpMessages.fromAgent} / ${formatBytes(figures.acpBytes.fromAgent)} back`);
  printer.line(`  wall time            ${(figures.wallMs / 1000).toFixed(1)} s`);
}

function introduce(printer: TranscriptPrinter, replay: boolean, server: ScriptedChatServer | undefined, env: Record<string, string | undefined>, projectDir: string): void {
  printer.line(printer.paint('bold', 'Tether demo'));
  if (replay && server) {
    printer.line(`Replaying a RECORDED model run: no OPENAI_API_KEY or OPENAI_BASE_URL is set (or --recorded was given).`);
    printer.line(`The model's answers come from a script served by a local OpenAI-compatible server at ${server.url}`);
    printer.line(`(loopback only). Everything else is real: the tether ACP server, the wire protocol over stdio,`);
    printer.line(`the tools, the edits and the test run. Set OPENAI_API_KEY and TETHER_MODEL to use a real model.`);
  } else {
    printer.line(`Using a real model: ${env.TETHER_MODEL ?? '(server default model)'} at ${env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1'}.`);
  }
  printer.line(`Project: ${projectDir} (a scratch copy of the example; its "parses milliseconds" test fails)`);
}

/** Runs the demo and reports everything; `runDemo` is the CLI's entry. */
export async function runDemoDetailed(options: DemoOptions = {}): Promise<DemoResult> {
  const startedAt = performance.now();
  const flags = parseFlags(options.args ?? []);
  const env = options.env ?? process.env;
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const scratchDir = mkdtempSync(join(tmpdir(), 'tether-demo-'));
  const projectDir = join(scratchDir, 'project');
  const home = join(scratchDir, 'home');
  // dereference: a linked example must be copied, never edited in place.
  cpSync(realpathSync(options.exampleDir ?? findExampleDir()), projectDir, { recursive: true, dereference: true });
  mkdirSync(home);
  const printer = new TranscriptPrinter({ write, color: options.color ?? false, cwd: projectDir });

  const replay = flags.recorded || !(env.OPENAI_API_KEY || env.OPENAI_BASE_URL);
  const server = replay
    ? await startScriptedChatServer({ script: recordedRun({ chunkDelayMs: flags.fast ? 0 : 8 }), models: [RECORDED_MODEL] })
    : undefined;
  let drive: DriveResult;
  let testsPass: boolean;
  try {
    introduce(printer, replay, server, env, projectDir);
    drive = await driveAgent({
      command: options.tetherCommand ?? [process.execPath, process.argv[1] ?? '', 'acp', '--standalone'],
      env: agentEnv(env, home, server),
      cwd: projectDir,
      prompt: DEMO_PROMPT,
      printer,
      mode: 'plan',
      timeoutMs: replay ? 120_000 : 900_000,
    });
    printer.heading('check');
    const verification = verifyTests(projectDir, env);
    testsPass = verification.pass;
    const summary = verification.output.match(/^# (pass|fail) \d+$/gm)?.join(', ') ?? '';
    printer.line(testsPass ? `  ✓ the example's tests pass now (node --test: ${summary})` : `  ✗ the example's tests still fail (node --test: ${summary})`);
  } finally {
    await server?.close();
  }

  const figures: DemoFigures = {
    toolCalls: printer.tools.size,
    failedToolCalls: [...printer.tools.values()].filter((t) => t.status === 'failed').length,
    permissionRequests: printer.permissionCount,
    modelRequests: server ? server.requests.length : printer.usage?.modelCalls,
    bytesToModel: server ? server.requests.reduce((n, r) => n + r.bytes, 0) : printer.usage?.bytesSent,
    bytesFromModel: server ? server.requests.reduce((n, r) => n + r.responseBytes, 0) : printer.usage?.bytesReceived,
    acpBytes: drive.acpBytes,
    acpMessages: drive.acpMessages,
    wallMs: Math.round(performance.now() - startedAt),
  };
  printFigures(printer, figures, replay);

  const ok = !drive.error && drive.stopReason === 'end_turn' && testsPass;
  printer.line();
  if (ok) printer.line(`Done. The scratch copy is in ${scratchDir}${flags.clean ? ' (deleted)' : ''}.`);
  else {
    printer.line(`The demo FAILED: ${drive.error ?? (drive.stopReason !== 'end_turn' ? `stop reason ${drive.stopReason}` : "the example's tests do not pass")}`);
    printer.line(`Scratch directory: ${scratchDir}`);
    if (drive.stderr.trim()) process.stderr.write(`\n--- agent stderr (last 4000 chars) ---\n${drive.stderr.slice(-4000)}\n`);
  }
  // A failed run keeps its scratch directory even with --clean: it is the evidence.
  if (flags.clean && ok) rmSync(scratchDir, { recursive: true, force: true });
  return { exitCode: ok ? 0 : 1, replay, scratchDir, projectDir, drive, testsPass, figures, events: printer.events };
}

/** Entry of `tether demo`: returns the process exit code. */
export async function runDemo(options: DemoOptions = {}): Promise<number> {
  let flags: DemoFlags;
  try {
    flags = parseFlags(options.args ?? []);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const color = options.color ?? (Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
  const result = await runDemoDetailed({ ...options, color });
  // Let a piped stdout drain before the CLI calls process.exit.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  return result.exitCode;
}
