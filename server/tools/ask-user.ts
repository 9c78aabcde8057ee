// ask_user: the agent's open questions go to the user (in plan mode, before a plan is
// proposed). Editors that know `_meta.tether.questions` show a form; others show Answer/Skip.
import * as z from 'zod/v4';
import type { ToolContext, ToolDefinition, ToolResult } from './types';

const input = z.object({
  questions: z
    .array(
      z.object({
        question: z.string().min(1),
        options: z.array(z.string()).max(6).optional().describe('Suggested answers'),
      }),
    )
    .min(1)
    .max(4)
    .describe('Questions whose answers change the plan'),
});
type AskArgs = z.infer<typeof input>;

async function askUserTool(args: AskArgs, ctx: ToolContext): Promise<ToolResult> {
  const answer = await ctx.plan.askQuestions(args.questions, ctx.signal);
  switch (answer.kind) {
    case 'answered': {
      const lines = args.questions.map((q, i) => `Q: ${q.question}\nA: ${answer.answers[i]?.trim() || '(no answer)'}`);
      return { output: `The user answered:\n${lines.join('\n')}` };
    }
    case 'no_inline_answer':
      return { output: 'The user could not answer inline (their editor has no question form). Ask these questions in your reply and wait for their answer.' };
    case 'skipped':
      return { output: 'The user skipped the questions. Go on with reasonable assumptions and state them.' };
    case 'cancelled':
      return { output: 'The questions were cancelled.' };
  }
}

export const askUser: ToolDefinition<AskArgs> = {
  name: 'ask_user',
  description: 'Ask the user questions whose answers change what you will do.',
  input,
  kind: 'think',
  access: 'plan',
  title: (args) => (args.questions.length === 1 ? `Question: ${args.questions[0]!.question}` : `${args.questions.length} questions`),
  run: askUserTool,
};
