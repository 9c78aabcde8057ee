// What a test client does when it advertises the ACP client capabilities: `fs/*` on the real
// disk and `terminal/*` as local child processes. Each call is recorded so tests can check
// that the agent used (or did not use) the editor's side.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import type * as acp from '@agentclientprotocol/sdk';

export interface ClientCall {
  method: string;
  params: unknown;
}

interface Terminal {
  child: ChildProcess;
  output: string;
  truncated: boolean;
  limit: number;
  exit: Promise<acp.TerminalExitStatus>;
  status?: acp.TerminalExitStatus;
}

export class LocalClientSide {
  readonly calls: ClientCall[] = [];
  private readonly terminals = new Map<string, Terminal>();
  private nextTerminal = 1;

  async readTextFile(params: acp.ReadTextFileRequest): Promise<acp.ReadTextFileResponse> {
    this.calls.push({ method: 'fs/read_text_file', params });
    const text = await readFile(params.path, 'utf8');
    if (params.line == null && params.limit == null) return { content: text };
    const lines = text.split('\n');
    const start = Math.max(0, (params.line ?? 1) - 1);
    const end = params.limit == null ? lines.length : start + params.limit;
    return { content: lines.slice(start, end).join('\n') };
  }

  async writeTextFile(params: acp.WriteTextFileRequest): Promise<acp.WriteTextFileResponse> {
    this.calls.push({ method: 'fs/write_text_file', params });
    await writeFile(params.path, params.content, 'utf8');
    return {};
  }

  createTerminal(params: acp.CreateTerminalRequest): acp.CreateTerminalResponse {
    this.calls.push({ method: 'terminal/create', params });
    // Like an editor's terminal: not inside this test runner (NODE_TEST_CONTEXT would make a
    // `node --test` in the terminal report to it instead of printing its results).
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    for (const v of params.env ?? []) env[v.name] = v.value;
    // With no args the command is a shell command line, as agents usually send it.
    const child = params.args && params.args.length > 0
      ? spawn(params.command, params.args, { cwd: params.cwd ?? undefined, env })
      : spawn(params.command, { cwd: params.cwd ?? undefined, env, shell: true });
    const terminal: Terminal = {
      child,
      output: '',
      truncated: false,
      limit: params.outputByteLimit ?? 1_000_000,
      exit: new Promise((resolve) => {
        child.on('error', (error) => {
          terminal.output += String(error.message);
          resolve({ exitCode: 127, signal: null });
        });
        child.on('close', (code, signal) => resolve({ exitCode: code, signal }));
      }),
    };
    void terminal.exit.then((status) => (terminal.status = status));
    const append = (chunk: Buffer) => {
      terminal.output += chunk.toString('utf8');
      if (Buffer.byteLength(terminal.output) > terminal.limit) {
        terminal.output = Buffer.from(terminal.output).subarray(-terminal.limit).toString('utf8');
        terminal.truncated = true;
      }
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    const terminalId = `term-${this.nextTerminal++}`;
    this.terminals.set(terminalId, terminal);
    return { terminalId };
  }

  private terminal(method: string, params: { terminalId: string }): Terminal {
    this.calls.push({ method, params });
    const terminal = this.terminals.get(params.terminalId);
    if (!terminal) throw new Error(`unknown terminal ${params.terminalId}`);
    return terminal;
  }

  terminalOutput(params: acp.TerminalOutputRequest): acp.TerminalOutputResponse {
    const t = this.terminal('terminal/output', params);
    return { output: t.output, truncated: t.truncated, exitStatus: t.status ?? null };
  }

  async waitForTerminalExit(params: acp.WaitForTerminalExitRequest): Promise<acp.WaitForTerminalExitResponse> {
    return await this.terminal('terminal/wait_for_exit', params).exit;
  }

  killTerminal(params: acp.KillTerminalRequest): acp.KillTerminalResponse {
    const t = this.terminal('terminal/kill', params);
    if (!t.status) t.child.kill('SIGKILL');
    return {};
  }

  releaseTerminal(params: acp.ReleaseTerminalRequest): acp.ReleaseTerminalResponse {
    const t = this.terminal('terminal/release', params);
    if (!t.status) t.child.kill('SIGKILL');
    this.terminals.delete(params.terminalId);
    return {};
  }

  /** Kills whatever terminals are still running (test teardown). */
  disposeAll(): void {
    for (const t of this.terminals.values()) if (!t.status) t.child.kill('SIGKILL');
    this.terminals.clear();
  }
}
