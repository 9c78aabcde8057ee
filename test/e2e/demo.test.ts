// `tether demo` end to end: the built CLI, the real server over stdio, the recorded model run
// over loopback HTTP, real edits and a real test run in a scratch copy of the example.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RECORDED_RUN_REQUESTS } from '../../server/demo/recorded-run';
import { REPO_ROOT, SERVER_BUNDLE, cleanEnv, ensureBuilt } from '../support/agent-process';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], cwd: string, timeoutMs = 120_000, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER_BUNDLE, ...args], { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tether ${args.join(' ')} timed out after ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Asserts the markers appear in this order in `text`, and returns their positions. */
function assertInOrder(text: string, markers: Array<string | RegExp>): number[] {
  const positions: number[] = [];
  let from = 0;
  for (const marker of markers) {
    const rest = text.slice(from);
    const index = typeof marker === 'string' ? rest.indexOf(marker) : rest.search(marker);
    assert.ok(index >= 0, `transcript lacks ${String(marker)} after position ${from}:\n${text}`);
    positions.push(from + index);
    from += index + 1;
  }
  return positions;
}

describe('tether demo (recorded model run)', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tether-demo-cwd-'));
  let run: Run;
  let scratch: string | undefined;

  before(async () => {
    ensureBuilt();
    // Run from an unrelated directory: the demo must find its example by itself.
    run = await runCli(['demo', '--fast'], cwd);
    scratch = run.stdout.match(/The scratch copy is in (.+?)\.\n/)?.[1] ?? run.stdout.match(/Scratch directory: (.+)\n/)?.[1];
  });
  after(() => {
    rmSync(cwd, { recursive: true, force: true });
    if (scratch?.includes('tether-demo-')) rmSync(scratch, { recursive: true, force: true });
  });

  it('exits 0 and says it replays a recorded run over the real protocol', () => {
    assert.equal(run.code, 0, `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
    assert.match(run.stdout, /Replaying a RECORDED model run/);
    assert.match(run.stdout, /local OpenAI-compatible server at http:\/\/127\.0\.0\.1:\d+\/v1/);
  });

  it('leaves the example fixed: its tests pass in the scratch copy', () => {
    assert.ok(scratch, `no scratch directory in the output:\n${run.stdout}`);
    const project = join(scratch, 'project');
    assert.match(readFileSync(join(project, 'src/parse-duration.js'), 'utf8'), /\(ms\|h\|m\|s\|d\)/);
    const env = cleanEnv();
    const tests = spawnSync(process.execPath, ['--test'], { cwd: project, env, encoding: 'utf8' });
    assert.equal(tests.status, 0, tests.stdout + tests.stderr);
    assert.match(tests.stdout, /# pass 5/);
  });

  it('leaves the example project itself untouched', () => {
    const source = readFileSync(join(REPO_ROOT, 'server/demo/example/src/parse-duration.js'), 'utf8');
    assert.match(source, /\(h\|m\|s\|ms\|d\)/);
  });

  it('shows plan → approval → edit diff → shell → done, in that order', () => {
    const out = run.stdout;
    const [, , , approval] = assertInOrder(out, [
      '→ session/set_config_option mode=plan',
      /▸ Read .*src\/parse-duration\.js/,
      /◆ plan \(0\/2 done\)/,
      /→ Approve and implement, accepting edits/,
      'mode is now accept-edits',
      /▸ Edit .*src\/parse-duration\.js/,
      '-const PART = /(\\d+(?:\\.\\d+)?)\\s*(h|m|s|ms|d)/g;',
      '+const PART = /(\\d+(?:\\.\\d+)?)\\s*(ms|h|m|s|d)/g;',
      '▸ npm test',
      /# pass 5/,
      '✓ npm test — completed',
      /◆ plan \(2\/2 done\)/,
      /tether › Fixed\./,
      'stopReason end_turn',
      "✓ the example's tests pass now",
    ]);
    // Plan mode ran no shell and made no edit.
    const beforeApproval = out.slice(0, approval);
    assert.doesNotMatch(beforeApproval, /\[execute\]|\[edit\]/);
    assert.doesNotMatch(out, /✗ /, 'no tool call failed');
  });

  it('prints the figures', () => {
    assert.match(run.stdout, /tool calls\s+9\b/);
    assert.match(run.stdout, new RegExp(`model requests\\s+${RECORDED_RUN_REQUESTS}\\b`));
    assert.match(run.stdout, /bytes to the model\s+[\d.]+ (B|KiB)/);
    assert.match(run.stdout, /wall time\s+[\d.]+ s/);
  });

  it('answers --help and refuses unknown options', async () => {
    const help = await runCli(['demo', '--help'], cwd, 30_000);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--recorded/);
    const bad = await runCli(['demo', '--nope'], cwd, 30_000);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown option for demo: --nope/);
  });

  it('--recorded replays even with a key set, and --clean removes the scratch copy', async () => {
    const replay = await runCli(['demo', '--fast', '--recorded', '--clean'], cwd, 120_000, { OPENAI_API_KEY: 'sk-not-a-real-key', TETHER_MODEL: 'gpt-x' });
    assert.equal(replay.code, 0, replay.stdout + replay.stderr);
    assert.match(replay.stdout, /Replaying a RECORDED model run/);
    const dir = replay.stdout.match(/The scratch copy is in (.+?) \(deleted\)\./)?.[1];
    assert.ok(dir && !existsSync(dir), `scratch copy removed: ${dir}`);
  });

  it('exits non-zero, says why and keeps the evidence when the model is unreachable', async () => {
    const failed = await runCli(['demo', '--fast', '--clean'], cwd, 120_000, { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', TETHER_MODEL: 'x' });
    assert.equal(failed.code, 1, failed.stdout + failed.stderr);
    assert.match(failed.stdout, /Using a real model: x at http:\/\/127\.0\.0\.1:9\/v1/);
    assert.match(failed.stdout, /The demo FAILED: /);
    const dir = failed.stdout.match(/Scratch directory: (.+)\n/)?.[1];
    assert.ok(dir && existsSync(dir), 'a failed run keeps its scratch directory');
    rmSync(dir, { recursive: true, force: true });
  });
});
