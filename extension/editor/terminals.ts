// ACP terminals as VS Code terminals the user can watch: each terminal/create spawns the
// command in the extension host and mirrors its output into a pseudoterminal, while keeping
// the (byte-limited) output for terminal/output.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type * as acp from '@agentclientprotocol/sdk';
import * as vscode from 'vscode';

const DEFAULT_OUTPUT_LIMIT = 1024 * 1024;

interface AgentTerminal {
  child: ChildProcess;
  terminal: vscode.Terminal;
  output: string;
  truncated: boolean;
  limit: number;
  exit?: acp.TerminalExitStatus;
  exited: Promise<acp.TerminalExitStatus>;
}

export class TerminalManager implements vscode.Disposable {
  private readonly terminals = new Map<string, AgentTerminal>();

  create(params: acp.CreateTerminalRequest): acp.CreateTerminalResponse {
    const terminalId = `term-${randomUUID()}`;
    const writer = new BufferedWriter();
    const child = spawn(params.command, params.args ?? [], {
      cwd: params.cwd ?? undefined,
      env: { ...process.env, ...Object.fromEntries((params.env ?? []).map((v) => [v.name, v.value])) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32', // its own process group, so kill stops its children too
    });
    const record: AgentTerminal = {
      child,
      terminal: vscode.window.createTerminal({ name: `Tether: ${shortCommand(params)}`, pty: pseudoterminal(writer, () => this.kill(terminalId)) }),
      output: '',
      truncated: false,
      limit: params.outputByteLimit ?? DEFAULT_OUTPUT_LIMIT,
      exited: new Promise((resolve) => {
        child.on('close', (code, signal) => resolve((record.exit = { exitCode: code, signal })));
        child.on('error', (error) => {
          append(record, writer, `${error.message}\n`);
          resolve((record.exit = { exitCode: 127, signal: null }));
        });
      }),
    };
    writer.fire(`\x1b[2m$ ${shortCommand(params)}\x1b[0m\r\n`);
    child.stdout?.on('data', (chunk: Buffer) => append(record, writer, chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => append(record, writer, chunk.toString('utf8')));
    void record.exited.then((exit) => writer.fire(`\r\n\x1b[2m[exited ${exit.signal ?? exit.exitCode}]\x1b[0m\r\n`));
    record.terminal.show(true);
    this.terminals.set(terminalId, record);
    return { terminalId };
  }

  output(params: acp.TerminalOutputRequest): acp.TerminalOutputResponse {
    const record = this.get(params.terminalId);
    return { output: record.output, truncated: record.truncated, exitStatus: record.exit ?? null };
  }

  async waitForExit(params: acp.WaitForTerminalExitRequest): Promise<acp.WaitForTerminalExitResponse> {
    return this.get(params.terminalId).exited;
  }

  kill(terminalId: string): void {
    const record = this.terminals.get(terminalId);
    if (!record || record.exit || record.child.pid === undefined) return;
    try {
      process.kill(process.platform === 'win32' ? record.child.pid : -record.child.pid, 'SIGTERM');
    } catch {
      record.child.kill('SIGTERM');
    }
  }

  /** Stops the command; the VS Code terminal stays open so the user can still read it. */
  release(terminalId: string): void {
    this.kill(terminalId);
    this.terminals.delete(terminalId);
  }

  dispose(): void {
    for (const id of [...this.terminals.keys()]) this.release(id);
  }

  private get(terminalId: string): AgentTerminal {
    const record = this.terminals.get(terminalId);
    if (!record) throw Object.assign(new Error(`Unknown terminal: ${terminalId}`), { code: -32002 });
    return record;
  }
}

function append(record: AgentTerminal, writer: BufferedWriter, text: string): void {
  writer.fire(text.replace(/\r?\n/g, '\r\n'));
  record.output += text;
  // Keep the tail: the end of a command's output is what explains its result.
  if (Buffer.byteLength(record.output) > record.limit) {
    record.output = record.output.slice(-Math.floor(record.limit / 2));
    while (Buffer.byteLength(record.output) > record.limit) record.output = record.output.slice(1);
    record.truncated = true;
  }
}

/** VS Code drops pty writes made before open(): hold them until the terminal opens. */
class BufferedWriter {
  private readonly emitter = new vscode.EventEmitter<string>();
  private pending: string[] | undefined = [];
  readonly event = this.emitter.event;

  fire(text: string): void {
    if (this.pending) this.pending.push(text);
    else this.emitter.fire(text);
  }

  open(): void {
    const held = this.pending ?? [];
    this.pending = undefined;
    for (const text of held) this.emitter.fire(text);
  }
}

function pseudoterminal(writer: BufferedWriter, onClose: () => void): vscode.Pseudoterminal {
  return {
    onDidWrite: writer.event,
    open: () => writer.open(),
    close: onClose,
    handleInput: (data) => {
      if (data === '\x03') onClose(); // Ctrl+C in the terminal stops the agent's command
    },
  };
}

function shortCommand(params: acp.CreateTerminalRequest): string {
  const text = [params.command, ...(params.args ?? [])].join(' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
