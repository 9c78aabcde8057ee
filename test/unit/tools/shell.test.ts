import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_TIMEOUT_MS, shell, SHELL_OUTPUT_LIMIT_BYTES } from '../../../server/tools/shell';
import type { ShellOutcome, ShellRunner } from '../../../server/tools/types';
import { makeContext, runTool, tempDir } from './helpers';

type RunCall = Parameters<ShellRunner['run']>;

function fakeShell(outcome: Partial<ShellOutcome>, calls: RunCall[] = []): ShellRunner {
  return {
    run: async (...args) => {
      calls.push(args);
      return { exitCode: 0, signal: null, output: '', truncated: false, timedOut: false, ...outcome };
    },
  };
}

describe('shell', () => {
  const ws = tempDir();

  it('runs in the workspace with the default timeout and reports exit code and output', async () => {
    const calls: RunCall[] = [];
    const ctx = makeContext(ws, { shell: fakeShell({ output: 'hello\n' }, calls) });
    const result = await runTool(shell, { command: 'echo hello' }, ctx);
    assert.equal(result.output, 'Exit code 0.\nhello');
    assert.deepEqual(result.display, [{ type: 'text', text: 'hello' }]);
    const [command, options] = calls[0] ?? [];
    assert.equal(command, 'echo hello');
    assert.equal(options?.cwd, ws);
    assert.equal(options?.timeoutMs, DEFAULT_TIMEOUT_MS);
    assert.equal(options?.outputLimitBytes, SHELL_OUTPUT_LIMIT_BYTES);
    assert.equal(options?.signal, ctx.signal);
  });

  it('returns a failing command as a normal result', async () => {
    const ctx = makeContext(ws, { shell: fakeShell({ exitCode: 2, output: 'boom' }) });
    assert.equal((await runTool(shell, { command: 'false' }, ctx)).output, 'Exit code 2.\nboom');
  });

  it('reports timeouts, signals and silence', async () => {
    const timedOut = makeContext(ws, { shell: fakeShell({ exitCode: null, signal: 'SIGTERM', timedOut: true }) });
    assert.equal((await runTool(shell, { command: 'sleep 9', timeout_ms: 5000 }, timedOut)).output, 'Timed out after 5 s; the command was killed.\n(no output)');
    const killed = makeContext(ws, { shell: fakeShell({ exitCode: null, signal: 'SIGKILL', output: 'partial' }) });
    assert.equal((await runTool(shell, { command: 'x' }, killed)).output, 'Killed by signal SIGKILL.\npartial');
  });

  it('shows the editor terminal when the runner used one', async () => {
    const ctx = makeContext(ws, { shell: fakeShell({ output: 'ok', terminalId: 'term-7' }) });
    assert.deepEqual((await runTool(shell, { command: 'ls' }, ctx)).display, [{ type: 'terminal', terminalId: 'term-7' }]);
  });

  it('turns a runner failure into a ToolError', async () => {
    const broken: ShellRunner = { run: () => Promise.reject(new Error('spawn /bin/sh ENOENT')) };
    await assert.rejects(runTool(shell, { command: 'ls' }, makeContext(ws, { shell: broken })), /^ToolError: could not run the command: spawn/);
  });

  it('validates the timeout and titles the call with the first command line', () => {
    assert.equal(shell.input.safeParse({ command: 'x', timeout_ms: 600_001 }).success, false);
    assert.equal(shell.input.safeParse({ command: 'x', timeout_ms: 600_000 }).success, true);
    assert.equal(shell.title({ command: 'npm test\necho done' }), 'npm test');
  });
});
