// Runs the tool calls of one model reply: validates, announces, asks, executes. Consecutive
// read-only calls run in parallel; anything that writes or runs commands runs alone, in order.
import { ToolError, type ToolDefinition, type ToolDisplay, type ToolLocation } from '../tools/types';
import type { LoopEvent, PreparedCall, TurnHooks } from './events';
import type { HistoryItem, ToolCallRequest } from './items';
import { capToolOutput } from './output-cap';

type ToolResultItem = Extract<HistoryItem, { type: 'tool_result' }>;

/** A call that could not even be prepared (unknown tool, bad JSON, invalid args). */
interface RejectedCall {
  callId: string;
  name: string;
  error: string;
}

function prepare(request: ToolCallRequest, offered: ToolDefinition[]): PreparedCall | RejectedCall {
  const tool = offered.find((candidate) => candidate.name === request.name);
  if (!tool) {
    const names = offered.map((candidate) => candidate.name).join(', ');
    return { callId: request.id, name: request.name, error: `Tool "${request.name}" is not available now. Available tools: ${names}.` };
  }
  let raw: unknown;
  try {
    raw = request.argumentsJson.trim() === '' ? {} : JSON.parse(request.argumentsJson);
  } catch {
    return { callId: request.id, name: request.name, error: `The arguments of ${request.name} are not valid JSON: ${request.argumentsJson.slice(0, 200)}` };
  }
  const parsed = tool.input.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    return { callId: request.id, name: request.name, error: `Invalid arguments for ${request.name}: ${issues}` };
  }
  return { callId: request.id, tool, args: parsed.data };
}

function safeTitle(call: PreparedCall): string {
  try {
    return call.tool.title(call.args);
  } catch {
    return call.tool.name;
  }
}

export class ToolBatch {
  private readonly results = new Map<string, ToolResultItem>();

  constructor(
    private readonly requests: ToolCallRequest[],
    private readonly hooks: TurnHooks,
    private readonly signal: AbortSignal,
    private readonly outputLimitBytes: number,
  ) {}

  /** Runs every call and returns one result per request, in request order. */
  async run(cwd: string): Promise<ToolResultItem[]> {
    const offered = this.hooks.offeredTools();
    const prepared = this.requests.map((request) => prepare(request, offered));
    for (const call of prepared) this.announce(call, cwd);
    let parallel: PreparedCall[] = [];
    for (const call of prepared) {
      if (!('tool' in call)) continue;
      if (call.tool.access === 'read') {
        parallel.push(call);
        continue;
      }
      await this.runAll(parallel);
      parallel = [];
      await this.runOne(call);
    }
    await this.runAll(parallel);
    return this.requests.map((request) => this.results.get(request.id) ?? this.cancelledResult(request));
  }

  private emit(event: LoopEvent): void {
    this.hooks.emit(event);
  }

  private announce(call: PreparedCall | RejectedCall, cwd: string): void {
    if (!('tool' in call)) {
      this.emit({ type: 'tool_call', callId: call.callId, name: call.name, title: call.name, kind: 'other', rawInput: undefined, locations: [] });
      this.finish(call.callId, call.name, false, call.error);
      return;
    }
    let locations: ToolLocation[];
    try {
      locations = call.tool.locations?.(call.args, cwd) ?? [];
    } catch {
      locations = [];
    }
    this.emit({ type: 'tool_call', callId: call.callId, name: call.tool.name, title: safeTitle(call), kind: call.tool.kind, rawInput: call.args, locations });
  }

  private async runAll(calls: PreparedCall[]): Promise<void> {
    await Promise.all(calls.map((call) => this.runOne(call)));
  }

  private async runOne(call: PreparedCall): Promise<void> {
    if (this.signal.aborted) return;
    const verdict = await this.hooks.authorize(call, this.signal);
    if (this.signal.aborted) return;
    if (!verdict.allowed) {
      this.finish(call.callId, call.tool.name, false, verdict.reason);
      return;
    }
    this.emit({ type: 'tool_running', callId: call.callId });
    try {
      const result = await call.tool.run(call.args, this.hooks.toolContext(call, this.signal));
      if (this.signal.aborted) return;
      const output = capToolOutput(result.output, this.outputLimitBytes);
      this.finish(call.callId, call.tool.name, true, output, result.display, result.locations);
    } catch (error) {
      if (this.signal.aborted) return;
      if (!(error instanceof ToolError)) throw error;
      this.finish(call.callId, call.tool.name, false, error.message);
    }
  }

  private finish(callId: string, name: string, ok: boolean, output: string, display?: ToolDisplay[], locations?: ToolLocation[]): void {
    this.results.set(callId, { type: 'tool_result', callId, name, output, isError: !ok });
    this.emit({ type: 'tool_done', callId, ok, output, display, locations });
  }

  /** Calls the cancellation cut short still need a result, or the history is invalid for the model. */
  private cancelledResult(request: ToolCallRequest): ToolResultItem {
    // The owner aborts with a string reason when the stop did not come from the user.
    const output = typeof this.signal.reason === 'string' ? this.signal.reason : 'Cancelled by the user.';
    this.emit({ type: 'tool_done', callId: request.id, ok: false, output });
    return { type: 'tool_result', callId: request.id, name: request.name, output, isError: true };
  }
}
