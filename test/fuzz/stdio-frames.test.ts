// Property-based fuzzing of `tether acp --standalone` over stdio: 10,000 hostile frames from a
// fixed seed go to one process in batches; after each batch a valid request must be answered.
// Properties: the process stays up, every request with a usable id is answered exactly once
// (with the expected error code where the frame is invalid), ids that must not be answered are
// not, stdout carries only JSON-RPC messages, and memory stays bounded.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cleanEnv, SERVER_BUNDLE, ensureBuilt } from '../support/agent-process';
import { envelopeProblem, floodFrames, FUZZ_SEED, idKey, KNOWN_ERROR_CODES, memoryOf, sampleFrames, type Frame, type MemoryFigures } from './frames';

const FRAMES = 10_000;
const BATCH = 100;
const HUGE_LINE_BYTES = 20 * 1024 * 1024;

type Message = Record<string, unknown>;

/** One server process with raw stdio: every stdout line is checked and indexed by id. */
class RawAgent {
  readonly child: ChildProcess;
  readonly answers = new Map<string, Message[]>();
  readonly stdoutProblems: string[] = [];
  stderr = '';
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  private pending = Buffer.alloc(0);
  private pingId = 0;

  constructor(home: string, cwd: string) {
    ensureBuilt();
    this.child = spawn(process.execPath, [SERVER_BUNDLE, 'acp', '--standalone'], { cwd, env: cleanEnv({ TETHER_HOME: home }), stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk: Buffer) => this.onStdout(chunk));
    this.child.stderr!.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 1_000_000) this.stderr += chunk.toString('utf8');
    });
    this.child.stdin!.on('error', () => {}); // a dead process shows up as `exit`
    this.child.on('exit', (code, signal) => (this.exit = { code, signal }));
  }

  private onStdout(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    let newline: number;
    while ((newline = this.pending.indexOf(0x0a)) !== -1) {
      const text = this.pending.subarray(0, newline).toString('utf8');
      this.pending = this.pending.subarray(newline + 1);
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        this.stdoutProblems.push(`not JSON on stdout: ${text.slice(0, 200)}`);
        continue;
      }
      const problem = envelopeProblem(message);
      if (problem) this.stdoutProblems.push(`${problem}: ${text.slice(0, 200)}`);
      const m = message as Message;
      if (m && typeof m === 'object' && 'id' in m && !('method' in m)) {
        const key = idKey(m.id);
        const list = this.answers.get(key) ?? [];
        list.push(m);
        this.answers.set(key, list);
      }
    }
  }

  write(data: Buffer | string): Promise<void> {
    return new Promise((resolve) => (this.child.stdin!.writable ? this.child.stdin!.write(data, () => resolve()) : resolve()));
  }

  async waitFor(keys: string[], timeoutMs: number): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const missing = keys.filter((k) => !this.answers.has(k));
      if (missing.length === 0 || this.exit || Date.now() > deadline) return missing;
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** A valid initialize must come back with a correct result. */
  async ping(timeoutMs = 10_000): Promise<void> {
    const id = `ping-${++this.pingId}`;
    await this.write(`${JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: 1, clientCapabilities: {} } })}\n`);
    const missing = await this.waitFor([idKey(id)], timeoutMs);
    if (missing.length > 0) throw new Error(`ping ${id} unanswered; exit=${JSON.stringify(this.exit)}\nstderr tail:\n${this.stderr.slice(-1500)}`);
    const answer = this.answers.get(idKey(id))![0]!;
    assert.equal((answer.result as { protocolVersion?: number } | undefined)?.protocolVersion, 1, JSON.stringify(answer).slice(0, 300));
  }

  async request(method: string, params: unknown): Promise<Message> {
    const id = `setup-${method}-${++this.pingId}`;
    await this.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    assert.deepEqual(await this.waitFor([idKey(id)], 10_000), [], `${method} unanswered`);
    return this.answers.get(idKey(id))![0]!;
  }

  async stop(): Promise<void> {
    if (this.exit) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

const show = (frame: Frame) => `${frame.kind}: ${JSON.stringify(frame.bytes.toString('latin1').slice(0, 300))}${frame.bytes.length > 300 ? ` (${frame.bytes.length} bytes)` : ''}`;

/** Checks what the server did with the frames of one batch; returns the problems. */
function checkAnswers(agent: RawAgent, frames: Frame[]): string[] {
  const problems: string[] = [];
  for (const frame of frames) {
    if (frame.expectId) {
      const answers = agent.answers.get(frame.expectId) ?? [];
      if (answers.length !== 1) problems.push(`${answers.length} answers (want 1) to ${show(frame)}`);
      const error = answers[0]?.error as { code?: number } | undefined;
      if (frame.expectCodes && (!error || !frame.expectCodes.includes(error.code!))) {
        problems.push(`answer ${JSON.stringify(answers[0]).slice(0, 300)} is not an error with code ${frame.expectCodes.join('|')} for ${show(frame)}`);
      }
    }
    for (const key of frame.forbidIds ?? []) if (agent.answers.has(key)) problems.push(`id ${key} must not be answered: ${show(frame)}`);
  }
  for (const [key, answers] of agent.answers) {
    for (const answer of answers) {
      const code = (answer.error as { code?: number } | undefined)?.code;
      if (code !== undefined && !KNOWN_ERROR_CODES.has(code)) problems.push(`non-standard error code ${code} for ${key}`);
    }
  }
  return problems;
}

async function sendBatch(agent: RawAgent, frames: Frame[]): Promise<void> {
  await agent.write(Buffer.concat(frames.flatMap((f) => [f.bytes, Buffer.from('\n')])));
}

describe(`stdio fuzzing (seed ${FUZZ_SEED}; TETHER_FUZZ_SEED=<n> to change)`, () => {
  const root = mkdtempSync(join(tmpdir(), 'tether-fuzz-stdio-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it(`${FRAMES} hostile frames: stays up, answers each usable id once, clean stdout, bounded memory`, { timeout: 55_000 }, async () => {
    console.log(`stdio fuzz seed: ${FUZZ_SEED}`);
    const started = Date.now();
    const agent = new RawAgent(join(root, 'home'), root);
    try {
      await agent.ping();
      const created = await agent.request('session/new', { cwd: root, mcpServers: [] });
      const sessionId = (created.result as { sessionId: string }).sessionId;
      const frames = sampleFrames({ sessionId, cwd: root }, FRAMES);
      const problems: string[] = [];

      // Warm-up: the first batches, plus one 20 MiB line (below the SDK's 32 MiB line limit:
      // it must be parsed and answered, not crash or hang).
      const warmup = frames.slice(0, 5 * BATCH);
      for (let i = 0; i < warmup.length; i += BATCH) {
        await sendBatch(agent, warmup.slice(i, i + BATCH));
        await agent.ping();
        await agent.waitFor(warmup.slice(i, i + BATCH).flatMap((f) => (f.expectId ? [f.expectId] : [])), 10_000);
      }
      const huge = `{"jsonrpc":"2.0","id":"huge","method":"session/prompt","params":{"sessionId":"no-such-session","prompt":[{"type":"text","text":"${'A'.repeat(HUGE_LINE_BYTES)}"}]}}\n`;
      await agent.write(huge);
      assert.deepEqual(await agent.waitFor([idKey('huge')], 20_000), [], `20 MiB line unanswered; exit=${JSON.stringify(agent.exit)}`);
      assert.equal((agent.answers.get(idKey('huge'))![0]!.error as { code: number }).code, -32002);
      await agent.ping();
      const afterWarmup: MemoryFigures = memoryOf(agent.child.pid!);

      const rest = [...frames.slice(5 * BATCH), ...floodFrames(500, 'flood', sessionId)];
      for (let i = 0; i < rest.length; i += BATCH) {
        const batch = rest.slice(i, i + BATCH);
        await sendBatch(agent, batch);
        try {
          await agent.ping();
        } catch (error) {
          // Find the frame that killed it: replay the batch one frame at a time on a fresh process.
          const culprit = await isolateCrash(join(root, 'home2'), root, sessionId, batch);
          throw new Error(`the server died in batch ${i / BATCH}; culprit: ${culprit}\n${(error as Error).message}`, { cause: error });
        }
        // Each batch is answered before the next goes out, so slow methods cannot pile up.
        const unanswered = await agent.waitFor(batch.flatMap((f) => (f.expectId ? [f.expectId] : [])), 10_000);
        problems.push(...unanswered.map((k) => `unanswered within 10 s: ${k} in batch ${i / BATCH}`));
      }
      const expected = [...warmup, ...rest].flatMap((f) => (f.expectId ? [f.expectId] : []));
      const missing = await agent.waitFor(expected, 10_000);
      problems.push(...missing.map((k) => `never answered: ${k}`));
      problems.push(...checkAnswers(agent, [...warmup, ...rest]));
      const end = memoryOf(agent.child.pid!);
      const kinds = new Map<string, number>();
      for (const f of frames) kinds.set(f.kind.split(' ').slice(0, 2).join(' '), (kinds.get(f.kind.split(' ').slice(0, 2).join(' ')) ?? 0) + 1);
      console.log(`stdio fuzz: ${frames.length + 500} frames + 20 MiB line in ${Date.now() - started} ms; frame kinds: ${JSON.stringify(Object.fromEntries(kinds))}`);
      console.log(`stdio fuzz memory: after warm-up RSS ${afterWarmup.rssMiB} MiB PSS ${afterWarmup.pssMiB} MiB; after run RSS ${end.rssMiB} MiB PSS ${end.pssMiB} MiB`);
      if (process.env.TETHER_FUZZ_DUMP) writeFileSync(process.env.TETHER_FUZZ_DUMP, problems.join("\n"));
      assert.deepEqual(agent.stdoutProblems, [], 'stdout carries JSON-RPC only');
      assert.deepEqual(problems.slice(0, 30), [], `${problems.length} problems (seed ${FUZZ_SEED})`);
      assert.ok(end.rssMiB - afterWarmup.rssMiB < 100, `RSS grew by ${end.rssMiB - afterWarmup.rssMiB} MiB`);
      assert.equal(agent.exit, undefined, 'still running');
    } finally {
      await agent.stop();
    }
    assert.equal((agent.exit as RawAgent['exit'])?.code, 0, `exits cleanly when stdin ends\n${agent.stderr.slice(-1500)}`);
  });
});

/** Replays `batch` frame by frame on a fresh process, pinging after each; names the first killer. */
async function isolateCrash(home: string, cwd: string, sessionId: string, batch: Frame[]): Promise<string> {
  const agent = new RawAgent(home, cwd);
  await agent.ping();
  try {
    for (const frame of batch) {
      await sendBatch(agent, [frame]);
      try {
        await agent.ping(3_000);
      } catch {
        return `${show(frame)} (session ${sessionId})`;
      }
    }
    return 'no single frame: the batch as a whole';
  } finally {
    await agent.stop();
  }
}
