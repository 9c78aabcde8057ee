// The permission questions a session asks, and how answers are read. Option ids are stable
// so clients and tests can rely on them.
import type { PermissionOption, RequestPermissionRequest, RequestPermissionResponse, ToolCallUpdate } from '@agentclientprotocol/sdk';
import type { ModeId } from '../permissions/modes';
import type { QuestionsAnswer, UserQuestion } from '../tools/types';
import { describeRule, type Rule } from '../permissions/rules';
import { describeScope } from '../permissions/session-rules';

export type ToolAnswer = 'allow_once' | 'allow_always' | 'allow_project' | 'reject_once' | 'reject_always' | 'cancelled';

/** `project`: the rule "always for this project" saves; without it the option is not offered. */
export function toolPermissionRequest(sessionId: string, toolCall: ToolCallUpdate, scope: string, project?: Rule): RequestPermissionRequest {
  const what = describeScope(scope);
  const options: PermissionOption[] = [
    { optionId: 'allow_once', name: 'Allow', kind: 'allow_once' },
    { optionId: 'allow_always', name: `Always allow ${what} in this session`, kind: 'allow_always' },
    ...(project ? [{ optionId: 'allow_project', name: `Always allow ${describeRule(project)} for this project`, kind: 'allow_always' as const }] : []),
    { optionId: 'reject_once', name: 'Reject', kind: 'reject_once' },
    { optionId: 'reject_always', name: `Always reject ${what} in this session`, kind: 'reject_always' },
  ];
  return { sessionId, toolCall, options };
}

export function readToolAnswer(response: RequestPermissionResponse): ToolAnswer {
  if (response.outcome.outcome === 'cancelled') return 'cancelled';
  const id = response.outcome.optionId;
  if (id === 'allow_once' || id === 'allow_always' || id === 'allow_project' || id === 'reject_always') return id;
  return 'reject_once';
}

/** Options of the plan-approval question; each approving option names the mode to switch to. */
const PLAN_EXIT_OPTIONS: Array<PermissionOption & { nextMode?: ModeId }> = [
  { optionId: 'implement-accept-edits', name: 'Approve and implement, accepting edits', kind: 'allow_always', nextMode: 'accept-edits' },
  { optionId: 'implement-ask', name: 'Approve and implement, asking before edits', kind: 'allow_once', nextMode: 'default' },
  { optionId: 'keep-planning', name: 'Keep planning', kind: 'reject_once' },
];

export function planExitRequest(sessionId: string, toolCall: ToolCallUpdate): RequestPermissionRequest {
  const options = PLAN_EXIT_OPTIONS.map(({ optionId, name, kind }) => ({ optionId, name, kind }));
  return { sessionId, toolCall, options };
}

export interface PlanExitAnswer {
  nextMode?: ModeId;
  feedback?: string;
  cancelled: boolean;
}

export function readPlanExitAnswer(response: RequestPermissionResponse): PlanExitAnswer {
  if (response.outcome.outcome === 'cancelled') return { cancelled: true };
  const chosen = PLAN_EXIT_OPTIONS.find((option) => option.optionId === (response.outcome as { optionId: string }).optionId);
  // Clients may attach the user's feedback for "keep planning" under _meta.
  const meta = (response._meta ?? {}) as { feedback?: unknown; tether?: { feedback?: unknown } };
  const feedback = meta.tether?.feedback ?? meta.feedback;
  return {
    nextMode: chosen?.nextMode,
    feedback: typeof feedback === 'string' && feedback.trim() ? feedback : undefined,
    cancelled: false,
  };
}

/** ask_user: the questions ride in `_meta.tether.questions`; plain clients still see Answer/Skip. */
export function questionsRequest(sessionId: string, toolCallId: string, questions: UserQuestion[]): RequestPermissionRequest {
  const listed = questions.map((q, i) => `${i + 1}. ${q.question}${q.options?.length ? ` (${q.options.join(' / ')})` : ''}`).join('\n');
  return {
    sessionId,
    toolCall: {
      toolCallId,
      title: questions.length === 1 ? questions[0]!.question : 'Question from the agent',
      kind: 'think',
      status: 'pending',
      content: [{ type: 'content', content: { type: 'text', text: listed } }],
    },
    options: [
      { optionId: 'answer', name: 'Answer', kind: 'allow_once' },
      { optionId: 'skip', name: 'Skip', kind: 'reject_once' },
    ],
    _meta: { tether: { questions } },
  };
}

/** `answers` under `_meta.tether` (one string per question); any other option counts as a skip. */
export function readQuestionsAnswer(response: RequestPermissionResponse, count: number): QuestionsAnswer {
  if (response.outcome.outcome === 'cancelled') return { kind: 'cancelled' };
  // Not only 'skip': a question nobody attached to answer comes back as reject_once.
  if (response.outcome.optionId !== 'answer') return { kind: 'skipped' };
  const answers = ((response._meta ?? {}) as { tether?: { answers?: unknown } }).tether?.answers;
  if (!Array.isArray(answers)) return { kind: 'no_inline_answer' };
  return { kind: 'answered', answers: Array.from({ length: count }, (_, i) => (typeof answers[i] === 'string' ? (answers[i] as string) : '')) };
}
