// update_plan: the model's to-do list, shown to the user as the session's plan.
import * as z from 'zod/v4';
import type { PlanItem, ToolContext, ToolDefinition, ToolResult } from './types';

const input = z.object({
  entries: z.array(
    z.object({
      content: z.string(),
      status: z.enum(['pending', 'in_progress', 'completed']),
      priority: z.enum(['high', 'medium', 'low']).optional(),
    }),
  ).describe('The whole plan; replaces the previous one'),
});
type PlanArgs = z.infer<typeof input>;

async function updatePlanTool(args: PlanArgs, ctx: ToolContext): Promise<ToolResult> {
  const entries: PlanItem[] = args.entries.map((entry) => ({
    content: entry.content,
    status: entry.status,
    priority: entry.priority ?? 'medium',
  }));
  ctx.plan.publishPlan(entries);
  const done = entries.filter((entry) => entry.status === 'completed').length;
  return { output: `Plan updated: ${done} of ${entries.length} done.` };
}

export const updatePlan: ToolDefinition<PlanArgs> = {
  name: 'update_plan',
  description: 'Publish your task list to the user. Send every entry each time.',
  input,
  kind: 'think',
  access: 'plan',
  title: () => 'Update plan',
  run: updatePlanTool,
};
