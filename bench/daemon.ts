// Benchmark of the shared daemon: bridge start-up with the daemon running, reattach replay of
// a 10,000-event session, memory with 100 idle sessions, and fan-out cost per extra client.
// `npm run bench:daemon`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScriptedChatServer } from '../server/demo/scripted-chat-server';
import { DaemonProcess, WsClient, until } from '../test/support/daemon-process';
import { median, printTable, SERVER_BUNDLE } from './harness';

function pssMiB(pid: number): number {
  const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** CPU time (user + system) of a process so far, in ms, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function spawnToInitialize(args: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'ignore'] });
  child.stdin!.write('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":1,"clientCapabilities":{}}}\n');
  await new Promise((done) => child.stdout!.once('data', done));
  const elapsed = performance.now() - started;
  child.stdin!.end();
  await new Promise((done) => child.once('exit', done));
  return elapsed;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'tether-bench-daemon-'));
  const home = join(root, 'home');
  const workspace = mkdtempSync(join(root, 'ws-'));
  const longText = 'x'.repeat(10_000);
  const model = await startScriptedChatServer({ script: (request) => (String(JSON.stringify(request.body.messages)).includes('long') ? { text: longText, chunkChars: 1 } : { text: 'ok' }) });
  const daemon = await DaemonProcess.start(home, { OPENAI_BASE_URL: model.url, TETHER_MODEL: 'scripted-model' });
  const rows: string[][] = [];
  try {
    const bridge: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < 10; i++) {
      bridge.push(await spawnToInitialize([SERVER_BUNDLE, 'acp'], { TETHER_HOME: home }));
      bare.push(await spawnToInitialize(['-e', "process.stdin.once('data', (d) => { process.stdout.write(d); process.exit(0); })"], {}));
    }
    rows.push(['tether acp → initialize answered (daemon running)', `${median(bridge).toFixed(1)} ms`, '≤ 50 ms', `bare node ${median(bare).toFixed(1)} ms`]);

    const idle = new WsClient(daemon, { validate: false });
    await idle.initialize();
    const before = pssMiB(daemon.child.pid!);
    for (let i = 0; i < 100; i++) await idle.agent.request('session/new', { cwd: workspace, mcpServers: [] });
    rows.push(['daemon memory with 100 idle sessions (PSS)', `${pssMiB(daemon.child.pid!).toFixed(1)} MiB`, '≤ 100 MiB', `${before.toFixed(1)} MiB before`]);
    const writer = new WsClient(daemon, { validate: false });
    await writer.initialize();
    const { sessionId } = await writer.agent.request('session/new', { cwd: workspace, mcpServers: [] });
    await writer.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'a long answer please' }] });
    const events = writer.updatesOf(sessionId).length;
    writer.close();
    for (const [label, afterSeq] of [['whole session', 0], ['last 1,000', events - 1000]] as const) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const reader = new WsClient(daemon, { validate: false });
        await reader.initialize();
        const started = performance.now();
        await reader.agent.request('_tether/session/attach', { sessionId, afterSeq });
        await until(() => reader.updatesOf(sessionId).length >= events - afterSeq, 'the replay');
        times.push(performance.now() - started);
        reader.close();
      }
      rows.push([`reattach replay, ${events}-event session, ${label}`, `${median(times).toFixed(1)} ms`, '≤ 50 ms', `${events - afterSeq} updates`]);
    }


    for (const watchers of [0, 4]) {
      const prompter = new WsClient(daemon, { validate: false });
      await prompter.initialize();
      const { sessionId: fanned } = await prompter.agent.request('session/new', { cwd: workspace, mcpServers: [] });
      const extra = Array.from({ length: watchers }, () => new WsClient(daemon, { validate: false }));
      for (const watcher of extra) {
        await watcher.initialize();
        await watcher.agent.request('_tether/session/attach', { sessionId: fanned, afterSeq: 0 });
      }
      const cpuBefore = cpuMs(daemon.child.pid!);
      await prompter.agent.request('session/prompt', { sessionId: fanned, prompt: [{ type: 'text', text: 'a long answer please' }] });
      for (const watcher of extra) await until(() => watcher.updatesOf(fanned).length >= prompter.updatesOf(fanned).length, 'fan-out');
      const cpu = cpuMs(daemon.child.pid!) - cpuBefore;
      rows.push([`daemon CPU for a 10,000-update turn, ${watchers} extra clients`, `${cpu} ms`, '', `${((cpu * 1000) / prompter.updatesOf(fanned).length).toFixed(1)} µs per update`]);
      for (const client of [prompter, ...extra]) client.close();
    }
    idle.close();
  } finally {
    await daemon.kill('SIGTERM');
    await model.close();
    rmSync(root, { recursive: true, force: true });
  }
  printTable(['measure', 'figure', 'target', 'context'], rows);
}

await main();
