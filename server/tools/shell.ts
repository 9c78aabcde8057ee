// shell: runs a command in the workspace and reports how it ended. A failing command is a
// normal result: the model reads the exit code and the output and decides what to do.
import * as z from 'zod/v4';
import { cutLine } from './truncate';
import { ToolError, type ShellOutcome, type ToolContext, type ToolDefinition, type ToolResult } from './types';

export const DEFAULT_TIMEOUT_MS = 120_000;
export const MAX_TIMEOUT_MS = 600_000;
/** Output kept per command (head and tail); the loop caps tool results at 64 KiB overall. */
export const SHELL_OUTPUT_LIMIT_BYTES = 30 * 1024;

const input = z.object({
  command: z.string().describe('Command for /bin/sh'),
  timeout_ms: z.number().int().min(1000).max(MAX_TIMEOUT_MS).optional().describe(`Default ${DEFAULT_TIMEOUT_MS}`),
  network: z.boolean().optional().describe('true if it needs the network (installs, downloads); the user is asked'),
});
type ShellArgs = z.infer<typeof input>;

/** First line that says how the command ended, in words the model cannot misread. */
export function describeEnding(outcome: ShellOutcome, timeoutMs: number): string {
  if (outcome.timedOut) return `Timed out after ${timeoutMs / 1000} s; the command was killed.`;
  if (outcome.exitCode !== null) return `Exit code ${outcome.exitCode}.`;
  if (outcome.signal) return `Killed by signal ${outcome.signal}.`;
  return 'The command ended without an exit code.';
}

async function shellTool(args: ShellArgs, ctx: ToolContext): Promise<ToolResult> {
  if (args.command.trim() === '') throw new ToolError('command is empty');
  const timeoutMs = args.timeout_ms ?? DEFAULT_TIMEOUT_MS;
  let outcome: ShellOutcome;
  try {
    outcome = await ctx.shell.run(args.command, {
      cwd: ctx.cwd,
      timeoutMs,
      outputLimitBytes: SHELL_OUTPUT_LIMIT_BYTES,
      signal: ctx.signal,
    });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    throw new ToolError(`could not run the command: ${(error as Error).message}`);
  }
  const body = outcome.output.trimEnd() === '' ? '(no output)' : outcome.output.trimEnd();
  const display = outcome.terminalId
    ? [{ type: 'terminal' as const, terminalId: outcome.terminalId }]
    : [{ type: 'text' as const, text: body }];
  return { output: `${describeEnding(outcome, timeoutMs)}\n${body}`, display };
}

export const shell: ToolDefinition<ShellArgs> = {
  name: 'shell',
  description: 'Run a shell command in the workspace root; returns exit code and output (stdout+stderr).',
  input,
  kind: 'execute',
  access: 'execute',
  title: (args) => cutLine(args.command.split('\n')[0] ?? '', 80),
  run: shellTool,
};
