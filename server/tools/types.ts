// The contract every tool implements. Tools know nothing of ACP or sessions: they get a
// ToolContext of ports (files, shell, plan hooks) and return what the model and the user see.
import type * as z from 'zod/v4';

/** Same values as ACP's ToolKind, kept as plain strings so tools stay protocol-free. */
export type ToolKind = 'read' | 'edit' | 'delete' | 'move' | 'search' | 'execute' | 'think' | 'fetch' | 'switch_mode' | 'other';

/** What a tool may do; drives permission prompts and plan mode. */
export type ToolAccess = 'read' | 'edit' | 'execute' | 'plan';

export interface ToolLocation {
  path: string;
  line?: number;
}

export type ToolDisplay =
  | { type: 'text'; text: string }
  | { type: 'diff'; path: string; oldText: string | null; newText: string }
  | { type: 'terminal'; terminalId: string };

export interface PlanItem {
  content: string;
  status: 'pending' | 'in_progress' | 'completed';
  priority: 'high' | 'medium' | 'low';
}

export interface ToolResult {
  /** What the model reads. */
  output: string;
  /** Shown to the user in the tool-call card (diffs, terminal, text). */
  display?: ToolDisplay[];
  locations?: ToolLocation[];
}

/** Reads and writes go through the editor when it offers them (it sees unsaved buffers). */
export interface FileAccess {
  readText(absPath: string): Promise<string>;
  writeText(absPath: string, content: string): Promise<void>;
}

export interface ShellOutcome {
  exitCode: number | null;
  signal: string | null;
  output: string;
  truncated: boolean;
  timedOut: boolean;
  /** Set when the command ran in an editor terminal the user can watch. */
  terminalId?: string;
}

export interface ShellRunner {
  run(command: string, options: { cwd: string; timeoutMs: number; outputLimitBytes: number; signal: AbortSignal }): Promise<ShellOutcome>;
}

export interface PlanModeExit {
  approved: boolean;
  /** Mode chosen by the user when approved. */
  nextMode?: string;
  /** Why the user wants to keep planning, if they said. */
  feedback?: string;
}

export interface UserQuestion {
  question: string;
  options?: string[];
}

/** How the user answered ask_user: answers (one per question), skipped, or no inline answer possible. */
export type QuestionsAnswer = { kind: 'answered'; answers: string[] } | { kind: 'no_inline_answer' } | { kind: 'skipped' } | { kind: 'cancelled' };

/** Session hooks for the planning tools. */
export interface PlanHooks {
  publishPlan(entries: PlanItem[]): void;
  requestPlanExit(plan: string, signal: AbortSignal): Promise<PlanModeExit>;
  askQuestions(questions: UserQuestion[], signal: AbortSignal): Promise<QuestionsAnswer>;
}

export interface ToolContext {
  /** Workspace root, symlinks resolved. */
  cwd: string;
  additionalDirectories: string[];
  signal: AbortSignal;
  files: FileAccess;
  shell: ShellRunner;
  plan: PlanHooks;
}

export interface ToolDefinition<Args = unknown> {
  name: string;
  /** One or two sentences: this text is sent to the model on every call. */
  description: string;
  input: z.ZodType<Args>;
  kind: ToolKind;
  access: ToolAccess;
  title(args: Args): string;
  locations?(args: Args, cwd: string): ToolLocation[];
  run(args: Args, ctx: ToolContext): Promise<ToolResult>;
}

/** A failure the model can fix (bad path, text not found...): its message goes back to the model. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}
