// The recorded model run that `tether demo` replays when no model is configured. It is a
// function of each Chat Completions request: it looks at which of its own tool calls already
// have results in the history, so it follows the agent loop step by step (and reacts when
// the user keeps planning or a tool fails) instead of replaying blindly by index.

/** One tool call the scripted server streams back (same shape as its ScriptedResponse). */
export interface RecordedToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** One model response (a structural subset of the scripted server's ScriptedResponse). */
export interface RecordedResponse {
  text?: string;
  thinking?: string;
  toolCalls?: RecordedToolCall[];
  chunkChars?: number;
  chunkDelayMs?: number;
}

export const DEMO_PROMPT =
  'Fix the failing test in this project. Read the code first and show me a plan before you change anything; ' +
  'no need to ask me questions, go with your best judgement.';

export const EXAMPLE_FILE = 'src/parse-duration.js';
/** The edit the recorded run makes; it must apply to server/demo/example verbatim. */
export const EXAMPLE_FIX = {
  path: EXAMPLE_FILE,
  old_text: 'const PART = /(\\d+(?:\\.\\d+)?)\\s*(h|m|s|ms|d)/g;',
  new_text:
    '// Longer units first: alternation takes the first unit that matches, so "ms" must be\n' +
    '// tried before "m" or "250ms" reads as "250m" followed by a stray "s".\n' +
    'const PART = /(\\d+(?:\\.\\d+)?)\\s*(ms|h|m|s|d)/g;',
};
export const TEST_COMMAND = 'npm test';

const PLAN_STEPS = [
  { content: 'Put "ms" before "m" in the unit alternation of PART in src/parse-duration.js', priority: 'high' },
  { content: 'Run the test suite (npm test) and check all 5 tests pass', priority: 'medium' },
] as const;

const PLAN_TEXT = [
  '## Fix `parseDuration("250ms")`',
  '',
  '**Cause.** In `src/parse-duration.js` the unit alternation `(h|m|s|ms|d)` tries `m` before `ms`,',
  'so `250ms` is read as `250m` plus a stray `s`; the leftover text makes it throw `RangeError`.',
  '',
  '**Change.** Reorder the alternation to `(ms|h|m|s|d)` (longest unit first) and say why in a comment.',
  'Nothing else changes.',
  '',
  '**Check.** `npm test`: the "parses milliseconds" test should pass and the other four stay green.',
].join('\n');

interface ChatMessageLike {
  role?: string;
  content?: unknown;
  tool_call_id?: string;
}

/** Tool results in a request body, by tool call id. */
export function toolResults(body: unknown): Map<string, string> {
  const results = new Map<string, string>();
  const messages = (body as { messages?: ChatMessageLike[] } | undefined)?.messages ?? [];
  for (const message of messages) {
    if (message.role !== 'tool' || typeof message.tool_call_id !== 'string') continue;
    const content = typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
    results.set(message.tool_call_id, content);
  }
  return results;
}

/** The parsed body, whatever form the scripted server hands the script. */
function bodyOf(request: unknown): unknown {
  const candidate = (request as { body?: unknown } | undefined)?.body ?? request;
  if (typeof candidate === 'string') {
    try {
      return JSON.parse(candidate);
    } catch {
      return undefined;
    }
  }
  if (candidate instanceof Uint8Array) return bodyOf(Buffer.from(candidate).toString('utf8'));
  return candidate;
}

const isFailure = (output: string | undefined) => output !== undefined && /^(error\b|tool error)/i.test(output.trim());
const keptPlanning = (output: string) => /keep planning|not approved|rejected|declined|denied/i.test(output);
const testsPassed = (output: string) => /# fail 0\b/.test(output) && !/exit code[: ]+[1-9]/i.test(output);

interface Step {
  id: string;
  respond(results: Map<string, string>): RecordedResponse;
}

const call = (id: string, name: string, args: Record<string, unknown>): RecordedToolCall => ({ id, name, arguments: args });

/** The steps in order; each one's calls carry fixed ids so the next request shows it done. */
const STEPS: Step[] = [
  {
    id: 'explore',
    respond: () => ({
      text: "I'll look at the project layout and its test setup first.",
      toolCalls: [call('call_explore_glob', 'glob', { pattern: '**/*.js' }), call('call_explore_pkg', 'read_file', { path: 'package.json' })],
    }),
  },
  {
    id: 'read',
    respond: () => ({
      toolCalls: [
        call('call_read_src', 'read_file', { path: EXAMPLE_FILE }),
        call('call_read_test', 'read_file', { path: 'test/parse-duration.test.js' }),
      ],
    }),
  },
  {
    id: 'plan',
    respond: () => ({
      thinking:
        'The milliseconds test fails. PART matches units with (h|m|s|ms|d): for "250ms" the regex engine takes "m" first, ' +
        'then "s" is left over, so consumed != text and it throws. Reordering to (ms|h|m|s|d) fixes it.',
      text:
        'Found it: the unit alternation in `PART` lists `m` before `ms`, so `"250ms"` is parsed as `250m` and the ' +
        'leftover `s` makes `parseDuration` throw. Here is the plan.',
      toolCalls: [call('call_plan_publish', 'update_plan', { entries: PLAN_STEPS.map((s) => ({ ...s, status: 'pending' })) })],
    }),
  },
  {
    id: 'exit-plan',
    respond: () => ({ toolCalls: [call('call_plan_exit', 'exit_plan_mode', { plan: PLAN_TEXT })] }),
  },
  {
    id: 'edit',
    respond: () => ({
      text: 'Applying the fix.',
      toolCalls: [call('call_fix_edit', 'edit_file', { ...EXAMPLE_FIX })],
    }),
  },
  {
    id: 'test',
    respond: () => ({ text: 'Now the tests.', toolCalls: [call('call_fix_test', 'shell', { command: TEST_COMMAND, timeout_ms: 60_000 })] }),
  },
  {
    id: 'done',
    respond: () => ({
      toolCalls: [call('call_plan_done', 'update_plan', { entries: PLAN_STEPS.map((s) => ({ ...s, status: 'completed' })) })],
    }),
  },
  {
    id: 'summary',
    respond: () => ({
      text:
        'Fixed. In `src/parse-duration.js` the unit alternation now tries `ms` before `m` ' +
        '(`(ms|h|m|s|d)`), with a comment saying why. `npm test` passes: 5 of 5 tests, including ' +
        '"parses milliseconds" which failed before.',
    }),
  },
];

/** Ids of the calls a step makes (empty for a text-only step). */
function callIds(step: Step): string[] {
  return (step.respond(new Map()).toolCalls ?? []).map((c) => c.id);
}

/** Picks the response for a request from the results it carries; exported for unit tests. */
export function nextRecordedResponse(body: unknown): RecordedResponse {
  const results = toolResults(body);
  for (const step of STEPS) {
    const ids = callIds(step);
    if (ids.length === 0 || !ids.every((id) => results.has(id))) return step.respond(results);
    const failed = ids.map((id) => results.get(id)).find(isFailure);
    if (step.id === 'exit-plan' && keptPlanning(results.get('call_plan_exit') ?? '')) {
      return { text: 'Understood, staying in plan mode. Tell me what to change in the plan and I will revise it.' };
    }
    if (failed !== undefined && step.id !== 'test') {
      return { text: `The ${step.id} step failed, so I stopped here:\n\n${failed.slice(0, 500)}` };
    }
    if (step.id === 'test' && !testsPassed(results.get('call_fix_test') ?? '')) {
      return { text: 'The tests still fail after the change; see the output above. I stopped here instead of guessing further.' };
    }
  }
  return { text: 'Nothing left to do: the fix is in and the tests pass.' };
}

export interface RecordedRunOptions {
  /** Characters per streamed chunk (default 24). */
  chunkChars?: number;
  /** Pause between chunks, to look like a model streaming (default 8 ms; 0 in tests). */
  chunkDelayMs?: number;
}

/** The script for startScriptedChatServer: a function of each recorded request. */
export function recordedRun(options: RecordedRunOptions = {}): (request: unknown, index: number) => RecordedResponse {
  const chunkChars = options.chunkChars ?? 24;
  const chunkDelayMs = options.chunkDelayMs ?? 8;
  return (request) => ({ ...nextRecordedResponse(bodyOf(request)), chunkChars, chunkDelayMs });
}

/** Number of model requests the recorded run makes when everything goes to plan. */
export const RECORDED_RUN_REQUESTS = STEPS.length;
