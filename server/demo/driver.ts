// Drives `tether acp --standalone` as a child process with the official ACP SDK client over
// its real stdio, the way an editor would: initialize, session/new, switch to plan mode,
// prompt, and answer permission requests. Everything it sees goes to the transcript printer.
import { spawn } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import * as acp from '@agentclientprotocol/sdk';
import type { TranscriptPrinter } from './transcript';

export interface DriveOptions {
  /** argv of the agent: [executable, ...args]. */
  command: string[];
  env: Record<string, string | undefined>;
  /** Workspace root for session/new (and the agent's process cwd). */
  cwd: string;
  prompt: string;
  printer: TranscriptPrinter;
  /** Mode to switch to before prompting (default "plan"). */
  mode?: string;
  timeoutMs?: number;
}

export interface DriveResult {
  stopReason?: acp.StopReason;
  /** Why the run failed, in words; undefined when it reached a stop reason. */
  error?: string;
  sessionId?: string;
  agentInfo?: acp.Implementation | null;
  /** ACP bytes over stdio, newlines included. */
  acpBytes: { toAgent: number; fromAgent: number };
  acpMessages: { toAgent: number; fromAgent: number };
  stderr: string;
  exit?: { code: number | null; signal: NodeJS.Signals | null };
}

/**
 * The exit-plan request offers "implement, ask before edits", "implement, accept edits" and
 * "keep planning": the demo takes the one that accepts edits. Anything else is allowed once.
 */
export function choosePermissionOption(request: acp.RequestPermissionRequest): acp.PermissionOption | undefined {
  const allows = request.options.filter((o) => o.kind === 'allow_once' || o.kind === 'allow_always');
  const acceptEdits = allows.find((o) => /accept/i.test(o.optionId) || /accept/i.test(o.name));
  if (request.toolCall.kind === 'switch_mode' && acceptEdits) return acceptEdits;
  return allows.find((o) => o.kind === 'allow_once') ?? allows[0];
}

/** Counts bytes and newline-terminated messages flowing through a byte stream. */
function counting(counter: { bytes: number; messages: number }): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({
    transform(chunk, controller) {
      counter.bytes += chunk.byteLength;
      for (const byte of chunk) if (byte === 10) counter.messages += 1;
      controller.enqueue(chunk);
    },
  });
}

async function switchMode(agent: acp.ClientContext, session: acp.NewSessionResponse, mode: string, announce: (what: string) => void): Promise<void> {
  const option = session.configOptions?.find((o) => o.category === 'mode');
  if (option) {
    announce(`session/set_config_option ${option.id}=${mode}`);
    await agent.request(acp.methods.agent.session.setConfigOption, { sessionId: session.sessionId, configId: option.id, value: mode });
    return;
  }
  if (session.modes) {
    announce(`session/set_mode ${mode}`);
    await agent.request(acp.methods.agent.session.setMode, { sessionId: session.sessionId, modeId: mode });
    return;
  }
  throw new Error('the agent offers neither a mode config option nor ACP modes');
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function driveAgent(options: DriveOptions): Promise<DriveResult> {
  const { printer } = options;
  const [file, ...args] = options.command;
  const child = spawn(file!, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const toAgent = { bytes: 0, messages: 0 };
  const fromAgent = { bytes: 0, messages: 0 };
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.on('error', () => {}); // a dead agent is reported through `exited`
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', (error) => {
      stderr += `${error.message}\n`;
      resolve({ code: null, signal: null });
    });
  });

  const outbound = counting(toAgent);
  void outbound.readable.pipeTo(Writable.toWeb(child.stdin) as WritableStream<Uint8Array>).catch(() => {});
  const inbound = (Readable.toWeb(child.stdout) as ReadableStream<Uint8Array>).pipeThrough(counting(fromAgent));

  const app = acp
    .client({ name: 'tether-demo' })
    .onRequest(acp.methods.client.session.requestPermission, ({ params }) => {
      const chosen = choosePermissionOption(params);
      printer.permission(params, chosen);
      return chosen ? { outcome: { outcome: 'selected', optionId: chosen.optionId } } : { outcome: { outcome: 'cancelled' } };
    })
    .onNotification(acp.methods.client.session.update, ({ params }) => printer.update(params.update));
  const connection = app.connect(acp.ndJsonStream(outbound.writable, inbound));
  const result: DriveResult = { acpBytes: { toAgent: 0, fromAgent: 0 }, acpMessages: { toAgent: 0, fromAgent: 0 }, stderr: '' };

  const died = exited.then((info) => {
    throw new Error(`the agent exited early (code ${info.code}, signal ${info.signal})`);
  });
  try {
    await Promise.race([converse(connection.agent, options, result), died]);
  } catch (error) {
    result.error = (error as Error).message;
  } finally {
    died.catch(() => {});
    connection.close();
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    result.exit = await exited;
    clearTimeout(timer);
    result.stderr = stderr;
    result.acpBytes = { toAgent: toAgent.bytes, fromAgent: fromAgent.bytes };
    result.acpMessages = { toAgent: toAgent.messages, fromAgent: fromAgent.messages };
  }
  return result;
}

async function converse(agent: acp.ClientContext, options: DriveOptions, result: DriveResult): Promise<void> {
  const { printer } = options;
  const init = await withTimeout(
    agent.request(acp.methods.agent.initialize, {
      protocolVersion: acp.PROTOCOL_VERSION,
      clientCapabilities: { fs: { readTextFile: false, writeTextFile: false }, terminal: false },
      clientInfo: { name: 'tether-demo', title: 'tether demo', version: '1' },
    }),
    15_000,
    'initialize',
  );
  result.agentInfo = init.agentInfo;
  printer.line(printer.paint('dim', `→ initialize: ${init.agentInfo?.title ?? init.agentInfo?.name ?? 'agent'} ${init.agentInfo?.version ?? ''}, ACP v${init.protocolVersion}`));
  const session = await agent.request(acp.methods.agent.session.new, { cwd: options.cwd, mcpServers: [] });
  result.sessionId = session.sessionId;
  printer.line(printer.paint('dim', `→ session/new: ${session.sessionId}`));
  const mode = options.mode ?? 'plan';
  await switchMode(agent, session, mode, (what) => printer.line(printer.paint('dim', `→ ${what}`)));
  printer.userPrompt(options.prompt);
  const response = await withTimeout(
    agent.request(acp.methods.agent.session.prompt, { sessionId: session.sessionId, prompt: [{ type: 'text', text: options.prompt }] }),
    options.timeoutMs ?? 300_000,
    'the prompt turn',
  );
  result.stopReason = response.stopReason;
  printer.line(printer.paint('dim', `→ session/prompt finished: stopReason ${response.stopReason}`));
}
