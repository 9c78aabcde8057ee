// The model for the real-VS-Code tests: the scripted Chat Completions server (real SSE wire
// format, so the real provider client runs) playing a scenario picked by a keyword in the
// turn's prompt, one step per tool result already in the conversation.
import { startScriptedChatServer, type RecordedRequest, type ScriptedChatServer, type ScriptedResponse } from '../../../server/demo/scripted-chat-server';

export const FIRST_CHANGE = 'formal or casual, greeted with care';
export const SECOND_CHANGE = "return `Goodbye, ${name}!`; // casual";

interface ChatMessage {
  role: string;
  content: unknown;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part: { text?: string }) => part.text ?? '').join(' ');
  return '';
}

/** The current turn: its prompt text and the tool results that followed it. */
function currentTurn(request: RecordedRequest): { prompt: string; step: number } {
  const messages = (request.body.messages ?? []) as ChatMessage[];
  let lastUser = -1;
  messages.forEach((message, index) => {
    if (message.role === 'user' && !textOf(message.content).startsWith('<system-reminder>')) lastUser = index;
  });
  const prompt = lastUser >= 0 ? textOf(messages[lastUser]!.content) : '';
  const step = messages.slice(lastUser + 1).filter((message) => message.role === 'tool').length;
  return { prompt, step };
}

const call = (name: string, args: Record<string, unknown>): ScriptedResponse => ({ toolCalls: [{ name, arguments: args }] });

const CHAT: ScriptedResponse[] = [
  call('read_file', { path: 'README.md' }),
  { text: '## What I found\n\nThe workspace has:\n\n- a `README.md`\n- a `greet.js` with two functions\n\n```js\nhello("Ada");\n```\n', chunkChars: 12 },
];

const PLAN: ScriptedResponse[] = [
  call('ask_user', { questions: [{ question: 'Which greeting style should hello() use?', options: ['formal', 'casual'] }] }),
  call('update_plan', {
    entries: [
      { content: 'Change the hello() greeting', status: 'in_progress', priority: 'high' },
      { content: 'Change the goodbye() farewell', status: 'pending', priority: 'medium' },
      { content: 'Check both by reading greet.js', status: 'pending', priority: 'low' },
    ],
  }),
  call('exit_plan_mode', { plan: '1. Change the greeting in `hello()`\n2. Change the farewell in `goodbye()`\n3. Re-read `greet.js`' }),
  call('edit_file', {
    path: 'greet.js',
    old_text: '// greeting style: to be decided',
    new_text: `// greeting style: ${FIRST_CHANGE}`,
  }),
  call('edit_file', { path: 'greet.js', old_text: 'return `Farewell, ${name}.`;', new_text: SECOND_CHANGE }),
  { text: 'Done: both functions now use the casual style.' },
];

const RELOAD_TEXT = `Counting slowly:\n\n${Array.from({ length: 40 }, (_, i) => `${i + 1}. step ${i + 1} of the long answer`).join('\n')}\n\nEND-OF-RUN`;

const SCENARIOS: Record<string, ScriptedResponse[]> = {
  chat: CHAT,
  plan: PLAN,
  reload: [{ text: RELOAD_TEXT, chunkChars: 6, chunkDelayMs: 40 }],
  cancel: [call('shell', { command: 'sleep 600' }), { text: 'The command finished.' }],
  latency: [{ text: Array.from({ length: 200 }, (_, i) => `word${i} `).join(''), chunkChars: 6, chunkDelayMs: 15 }],
};

export function scenarioResponse(request: RecordedRequest): ScriptedResponse {
  const { prompt, step } = currentTurn(request);
  const name = Object.keys(SCENARIOS).find((key) => prompt.toLowerCase().includes(key));
  const script = name ? SCENARIOS[name]! : [{ text: `No scenario matches "${prompt.slice(0, 80)}".` }];
  return script[Math.min(step, script.length - 1)]!;
}

export function startScenarioModel(): Promise<ScriptedChatServer> {
  return startScriptedChatServer({ script: (request) => scenarioResponse(request) });
}
