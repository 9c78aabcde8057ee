// Fuzzing the shared daemon (`tether serve`) over raw WebSocket frames: 10,000 hostile frames
// from a fixed seed over three connections (text and binary), plus a client that sends
// prompt/set_mode/set_config_option/cancel for a session another client owns and never opened.
// Properties: the daemon stays up (a valid request on each connection is answered after every
// batch), every usable id is answered exactly once on its own connection, binary frames never
// reach the app, only JSON-RPC comes back, memory stays bounded, and the other client's session
// is unaffected.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { WebSocket } from 'ws';
import { DaemonProcess, WsClient } from '../support/daemon-process';
import { bearer, openSocket } from '../unit/daemon/helpers';
import { envelopeProblem, FUZZ_SEED, floodFrames, idKey, KNOWN_ERROR_CODES, memoryOf, sampleFrames, type Frame } from './frames';

const FRAMES = 10_000;
const CONNECTIONS = 3;
const BATCH = 100;

type Message = Record<string, unknown>;

/** A raw socket whose every inbound frame is checked and indexed by id. */
class RawConnection {
  readonly answers = new Map<string, Message[]>();
  readonly problems: string[] = [];
  closed?: { code: number; reason: string };
  private n = 0;

  constructor(readonly name: string, readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) this.problems.push('the daemon sent a binary frame');
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        this.problems.push(`not JSON: ${data.toString().slice(0, 200)}`);
        return;
      }
      const problem = envelopeProblem(message);
      if (problem) this.problems.push(`${problem}: ${JSON.stringify(message).slice(0, 200)}`);
      const m = message as Message;
      if ('id' in m && !('method' in m)) {
        const list = this.answers.get(idKey(m.id)) ?? [];
        list.push(m);
        this.answers.set(idKey(m.id), list);
      }
    });
    socket.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
  }

  static async open(name: string, url: string, token: string): Promise<RawConnection> {
    return new RawConnection(name, await openSocket(url, { headers: bearer(token) }));
  }

  send(frame: Frame, binary = false): void {
    this.socket.send(binary ? frame.bytes : frame.bytes.toString('utf8'), { binary });
  }

  async waitFor(keys: string[], timeoutMs: number): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const missing = keys.filter((k) => !this.answers.has(k));
      if (missing.length === 0 || this.closed || Date.now() > deadline) return missing;
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async request(method: string, params: unknown, timeoutMs = 10_000): Promise<Message> {
    const id = `${this.name}-${method}-${++this.n}`;
    this.socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    const missing = await this.waitFor([idKey(id)], timeoutMs);
    if (missing.length > 0) throw new Error(`${this.name}: ${method} unanswered (closed: ${JSON.stringify(this.closed)})`);
    return this.answers.get(idKey(id))![0]!;
  }

  async ping(): Promise<void> {
    const answer = await this.request('initialize', { protocolVersion: 1, clientCapabilities: {} });
    assert.equal((answer.result as { protocolVersion?: number } | undefined)?.protocolVersion, 1, JSON.stringify(answer).slice(0, 300));
  }
}

const show = (frame: Frame) => `${frame.kind}: ${JSON.stringify(frame.bytes.toString('latin1').slice(0, 300))}${frame.bytes.length > 300 ? ` (${frame.bytes.length} bytes)` : ''}`;
const codeOf = (m: Message) => (m.error as { code?: number } | undefined)?.code;

describe(`daemon WebSocket fuzzing (seed ${FUZZ_SEED}; TETHER_FUZZ_SEED=<n> to change)`, () => {
  const root = mkdtempSync(join(tmpdir(), 'tether-fuzz-ws-'));
  let daemon: DaemonProcess;
  let owner: WsClient;
  let ownerSession: string;
  before(async () => {
    daemon = await DaemonProcess.start(join(root, 'home'));
    owner = new WsClient(daemon);
    await owner.initialize();
    ownerSession = (await owner.agent.request('session/new', { cwd: root, mcpServers: [] })).sessionId;
    await owner.agent.request('session/set_mode', { sessionId: ownerSession, modeId: 'plan' });
  });
  after(async () => {
    owner?.close();
    await daemon?.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  });

  it('a client that never opened a session cannot prompt, cancel or change it; attach is allowed', { timeout: 20_000 }, async () => {
    const { token } = daemon.discovery()!;
    const intruder = await RawConnection.open('intruder', daemon.url, token);
    try {
      await intruder.ping();
      const ownerUpdates = owner.updatesOf(ownerSession).length;
      const prompt = await intruder.request('session/prompt', { sessionId: ownerSession, prompt: [{ type: 'text', text: 'rm -rf /' }] });
      assert.equal(codeOf(prompt), -32002, JSON.stringify(prompt));
      const mode = await intruder.request('session/set_mode', { sessionId: ownerSession, modeId: 'bypass' });
      assert.equal(codeOf(mode), -32002, JSON.stringify(mode));
      const option = await intruder.request('session/set_config_option', { sessionId: ownerSession, configId: 'mode', value: 'bypass' });
      assert.equal(codeOf(option), -32002, JSON.stringify(option));
      intruder.socket.send(JSON.stringify({ jsonrpc: '2.0', method: 'session/cancel', params: { sessionId: ownerSession } }));
      await intruder.ping(); // the cancel was read before this answer
      // Nothing reached the owner's session: no new updates, still in plan mode.
      assert.equal(owner.updatesOf(ownerSession).length, ownerUpdates, JSON.stringify(owner.updatesOf(ownerSession).slice(ownerUpdates)));
      const check = await RawConnection.open('checker', daemon.url, token);
      try {
        await check.ping();
        const seen = await check.request('_tether/session/attach', { sessionId: ownerSession, afterSeq: 0 });
        assert.equal((seen.result as { modes: { currentModeId: string } }).modes.currentModeId, 'plan', JSON.stringify(seen).slice(0, 300));
      } finally {
        check.socket.close();
      }
      // By design a shared session may be attached by another client (then it may act on it).
      const attached = await intruder.request('_tether/session/attach', { sessionId: ownerSession, afterSeq: 0 });
      assert.ok(attached.result, JSON.stringify(attached));
      // The owner still drives its session.
      await owner.agent.request('session/set_mode', { sessionId: ownerSession, modeId: 'plan' });
    } finally {
      intruder.socket.close();
    }
  });

  it(`${FRAMES} hostile frames over ${CONNECTIONS} connections: stays up, answers each usable id once, bounded memory`, { timeout: 55_000 }, async () => {
    console.log(`websocket fuzz seed: ${FUZZ_SEED}`);
    const started = Date.now();
    const { token } = daemon.discovery()!;
    const connections = await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => RawConnection.open(`fuzz${i}`, daemon.url, token)));
    try {
      for (const c of connections) await c.ping();
      const own = await connections[0]!.request('session/new', { cwd: root, mcpServers: [] });
      const sessionId = (own.result as { sessionId: string }).sessionId;
      const frames = sampleFrames({ sessionId, cwd: root }, FRAMES).concat(floodFrames(240, 'flood', sessionId));
      // Every 7th frame goes out binary: answered with id null, never reaching the app.
      const plan = frames.map((frame, i) => ({ frame, binary: i % 7 === 3, connection: connections[Math.floor(i / BATCH) % CONNECTIONS]! }));
      const problems: string[] = [];
      let warm: ReturnType<typeof memoryOf> | undefined;
      for (let i = 0; i < plan.length; i += BATCH) {
        const batch = plan.slice(i, i + BATCH);
        const connection = batch[0]!.connection;
        for (const { frame, binary } of batch) connection.send(frame, binary);
        try {
          await connection.ping();
        } catch (error) {
          throw new Error(`${connection.name} died in batch ${i / BATCH} (closed ${JSON.stringify(connection.closed)}); frames:\n${batch.map((b) => show(b.frame)).join('\n').slice(0, 4000)}\n${daemon.stderr.slice(-1500)}`, { cause: error });
        }
        const expected = batch.flatMap(({ frame, binary }) => (frame.expectId && !binary ? [frame.expectId] : []));
        const unanswered = await connection.waitFor(expected, 10_000);
        problems.push(...unanswered.map((k) => `unanswered within 10 s on ${connection.name}: ${k}`));
        if (i === 5 * BATCH) warm = memoryOf(daemon.child.pid!);
      }
      for (const { frame, binary, connection } of plan) {
        const answers = frame.expectId ? (connection.answers.get(frame.expectId) ?? []) : [];
        if (binary) {
          if (answers.length > 0) problems.push(`a binary frame reached the app: ${show(frame)}`);
          continue;
        }
        if (frame.expectId) {
          if (answers.length !== 1) problems.push(`${answers.length} answers (want 1) to ${show(frame)}`);
          if (frame.expectCodes && !frame.expectCodes.includes(codeOf(answers[0] ?? {}) ?? 0)) {
            problems.push(`answer ${JSON.stringify(answers[0]).slice(0, 300)} is not an error with code ${frame.expectCodes.join('|')} for ${show(frame)}`);
          }
        }
        for (const key of frame.forbidIds ?? []) if (connection.answers.has(key)) problems.push(`id ${key} must not be answered: ${show(frame)}`);
      }
      for (const c of connections) {
        problems.push(...c.problems.map((p) => `${c.name}: ${p}`));
        for (const [key, answers] of c.answers) {
          for (const answer of answers) {
            const code = codeOf(answer);
            if (code !== undefined && !KNOWN_ERROR_CODES.has(code)) problems.push(`${c.name}: non-standard error code ${code} for ${key}`);
          }
        }
        assert.equal(c.closed, undefined, `${c.name} was closed by the daemon`);
      }
      const end = memoryOf(daemon.child.pid!);
      console.log(`websocket fuzz: ${plan.length} frames (${plan.filter((p) => p.binary).length} binary) in ${Date.now() - started} ms`);
      console.log(`websocket fuzz memory (daemon): after warm-up RSS ${warm!.rssMiB} MiB PSS ${warm!.pssMiB} MiB; after run RSS ${end.rssMiB} MiB PSS ${end.pssMiB} MiB`);
      assert.deepEqual(problems.slice(0, 30), [], `${problems.length} problems (seed ${FUZZ_SEED})`);
      assert.ok(end.rssMiB - warm!.rssMiB < 100, `RSS grew by ${end.rssMiB - warm!.rssMiB} MiB`);
      // The owner's session from the first test is untouched by all of it.
      const check = await connections[1]!.request('_tether/session/attach', { sessionId: ownerSession, afterSeq: 0 });
      assert.equal((check.result as { modes: { currentModeId: string } }).modes.currentModeId, 'plan');
      assert.equal(daemon.child.exitCode, null, 'the daemon is still running');
    } finally {
      for (const c of connections) c.socket.close();
    }
  });
});
