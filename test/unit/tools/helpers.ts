// Temp workspaces and tool contexts for the tool tests: real directories, fake session ports.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { diskFileAccess } from '../../../server/tools/disk-files';
import type { PlanHooks, ShellRunner, ToolContext, ToolDefinition, ToolResult } from '../../../server/tools/types';

/** A fresh real-path temp directory, removed when the test file finishes. */
export function tempDir(prefix = 'tether-tools-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `files` (relative path → content) under `root`, creating directories. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

const unusedShell: ShellRunner = {
  run: () => Promise.reject(new Error('this test does not expect a shell command')),
};

const unusedPlan: PlanHooks = {
  publishPlan: () => {
    throw new Error('this test does not expect a plan');
  },
  requestPlanExit: () => Promise.reject(new Error('this test does not expect a plan exit')),
  askQuestions: () => Promise.reject(new Error('this test does not expect questions')),
};

export function makeContext(cwd: string, overrides: Partial<ToolContext> = {}): ToolContext {
  return {
    cwd,
    additionalDirectories: [],
    signal: new AbortController().signal,
    files: diskFileAccess,
    shell: unusedShell,
    plan: unusedPlan,
    ...overrides,
  };
}

/** Parses raw arguments the way the agent loop does, then runs the tool. */
export function runTool<Args>(tool: ToolDefinition<Args>, rawArgs: unknown, ctx: ToolContext): Promise<ToolResult> {
  return tool.run(tool.input.parse(rawArgs), ctx);
}
