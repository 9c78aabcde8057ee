// The model for the real-VS-Code tests: the scripted Chat Completions server (real SSE wire
// format over loopback, so the real provider client runs) playing a scenario picked by a
// keyword in the turn's prompt, one step per tool result already in the conversation.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startScriptedChatServer, type RecordedRequest, type ScriptedChatServer, type ScriptedResponse } from '../../../server/demo/scripted-chat-server';

const GREET_JS = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'workspace', 'greet.js'), 'utf8');

/** The plan scenario's edit changes these two lines of greet.js, 17 lines apart: two hunks. */
export const FIRST_CHANGE = { before: 'return `Hello, ${name}.`;', after: 'return `Hi ${name}!`; // casual' };
export const SECOND_CHANGE = { before: 'return `Farewell, ${name}.`;', after: 'return `Bye ${name}!`; // casual' };

interface ChatMessage {
  role: string;
  content: unknown;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part: { text?: string }) => part.text ?? '').join(' ');
  return '';
}

/**
 * The current turn: its prompt and the tool results since. The latest user message (not the
 * session's first) so a session can hold several scenarios, and steps restart every turn.
 */
function currentTurn(request: RecordedRequest): { prompt: string; toolResults: string[] } {
  const messages = (request.body.messages ?? []) as ChatMessage[];
  const lastUser = messages.findLastIndex((message) => message.role === 'user');
  // Without the server's reminders: plan mode appends one that says "plan".
  const prompt = lastUser >= 0 ? textOf(messages[lastUser]!.content).replace(/<system-reminder>[\s\S]*?<\/system-reminder>/g, '') : '';
  const toolResults = messages.slice(lastUser + 1).filter((message) => message.role === 'tool').map((message) => textOf(message.content));
  return { prompt, toolResults };
}

const call = (name: string, args: Record<string, unknown>): ScriptedResponse => ({ toolCalls: [{ name, arguments: args }] });

const CHAT_ANSWER = '## What I found\n\nThe workspace has:\n\n- a `README.md`\n- a `greet.js` with `hello()` and `goodbye()`\n\n```js\nhello("Ada");\n```\n';

/** One edit_file whose old text spans both changed lines, with the unchanged lines between. */
function twoRegionEdit(): Record<string, unknown> {
  const start = GREET_JS.indexOf(FIRST_CHANGE.before);
  const end = GREET_JS.indexOf(SECOND_CHANGE.before) + SECOND_CHANGE.before.length;
  if (start < 0 || end < start) throw new Error('greet.js fixture does not hold the lines the plan scenario edits');
  const oldText = GREET_JS.slice(start, end);
  const newText = oldText.replace(FIRST_CHANGE.before, FIRST_CHANGE.after).replace(SECOND_CHANGE.before, SECOND_CHANGE.after);
  return { path: 'greet.js', old_text: oldText, new_text: newText };
}

const PLAN_TEXT = '## Plan\n\n1. Make `hello()` casual\n2. Make `goodbye()` casual\n3. Re-read `greet.js`';

/** The answer the user gave to ask_user, as its tool result reports it. */
function answerIn(toolResults: string[]): string {
  return /\nA: (.*)/.exec(toolResults[0] ?? '')?.[1]?.trim() ?? '(none)';
}

function planStep(toolResults: string[]): ScriptedResponse {
  switch (toolResults.length) {
    case 0:
      return call('ask_user', { questions: [{ question: 'Which greeting style should hello() use?', options: ['formal', 'casual'] }] });
    case 1:
      return call('update_plan', {
        entries: [
          { content: 'Make hello() casual', status: 'in_progress', priority: 'high' },
          { content: 'Make goodbye() casual', status: 'pending', priority: 'medium' },
          { content: 'Re-read greet.js', status: 'pending', priority: 'low' },
        ],
      });
    case 2:
      return call('exit_plan_mode', { plan: PLAN_TEXT });
    case 3:
      // The approval's result says "mode is now …"; a rejection would say otherwise.
      if (!/mode is now/.test(toolResults[2]!)) return { text: `Stopped: the plan was not approved (${toolResults[2]}).` };
      return call('edit_file', twoRegionEdit());
    default:
      return { text: `Done: greet.js now uses the ${answerIn(toolResults)} style in both functions.` };
  }
}

/** About 8 s of streaming: 1400 characters, 6 per chunk, 35 ms apart. */
const RELOAD_TEXT = `Counting slowly:\n\n${Array.from({ length: 40 }, (_, i) => `${i + 1}. step ${i + 1} of the long answer`).join('\n')}\n\nEND-OF-RUN`;

type Scenario = (toolResults: string[]) => ScriptedResponse;

const SCENARIOS: Record<string, Scenario> = {
  // The keywords: the first of them in the prompt picks the scenario.
  chat: (results) => (results.length === 0 ? call('read_file', { path: 'README.md' }) : { text: CHAT_ANSWER, chunkChars: 12 }),
  plan: planStep,
  reload: () => ({ text: RELOAD_TEXT, chunkChars: 6, chunkDelayMs: 35 }),
  cancel: (results) => (results.length === 0 ? call('shell', { command: 'sleep 600' }) : { text: 'The command finished.' }),
  // bench/extension.ts: a steady stream of small deltas.
  latency: () => ({ text: Array.from({ length: 200 }, (_, i) => `word${i} `).join(''), chunkChars: 6, chunkDelayMs: 15 }),
};

const KEYWORD = new RegExp(`\\b(${Object.keys(SCENARIOS).join('|')})\\b`, 'i');

export function scenarioResponse(request: RecordedRequest): ScriptedResponse {
  const { prompt, toolResults } = currentTurn(request);
  const name = KEYWORD.exec(prompt)?.[1]?.toLowerCase();
  if (!name) return { text: `No scenario matches "${prompt.slice(0, 80)}".` };
  return SCENARIOS[name]!(toolResults);
}

/** Starts the model; `url` (ending in /v1) is OPENAI_BASE_URL, `requests` records every call. */
export function startScenarioModel(): Promise<ScriptedChatServer> {
  return startScriptedChatServer({ script: (request) => scenarioResponse(request) });
}
