// exit_plan_mode: asks the user to approve the plan; on approval the session leaves plan mode.
import * as z from 'zod/v4';
import type { ToolContext, ToolDefinition, ToolResult } from './types';

const input = z.object({
  plan: z.string().describe('The plan, in markdown'),
});
type ExitArgs = z.infer<typeof input>;

async function exitPlanModeTool(args: ExitArgs, ctx: ToolContext): Promise<ToolResult> {
  const answer = await ctx.plan.requestPlanExit(args.plan, ctx.signal);
  const display = [{ type: 'text' as const, text: args.plan }];
  if (answer.approved) {
    const mode = answer.nextMode ?? 'default';
    return { output: `The user approved the plan; mode is now ${mode}. Implement it now.`, display };
  }
  const feedback = answer.feedback?.trim();
  const output = feedback
    ? `The user wants to keep planning. Their feedback: ${feedback}`
    : 'The user wants to keep planning. Ask what to change, or refine the plan.';
  return { output, display };
}

export const exitPlanMode: ToolDefinition<ExitArgs> = {
  name: 'exit_plan_mode',
  description: 'Present your finished plan for the user to approve. Only in plan mode.',
  input,
  kind: 'switch_mode',
  access: 'plan',
  title: () => 'Ready to code?',
  run: exitPlanModeTool,
};
