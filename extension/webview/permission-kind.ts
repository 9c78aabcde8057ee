// What kind of question a permission request is: the agent's own questions (ask_user), the
// plan-mode exit, or a plain tool permission. Pure: no DOM.
import type { RequestPermissionRequest } from '@agentclientprotocol/sdk';
import { questionsOf } from '../shared/messages';

export type PermissionKind = 'questions' | 'plan-exit' | 'tool';

export const PLAN_EXIT = { acceptEdits: 'implement-accept-edits', ask: 'implement-ask', keepPlanning: 'keep-planning' } as const;

export function permissionKind(request: RequestPermissionRequest): PermissionKind {
  if (questionsOf(request)?.length) return 'questions';
  const offered = new Set(request.options.map((option) => option.optionId));
  if (request.toolCall.kind === 'switch_mode' && offered.has(PLAN_EXIT.keepPlanning)) return 'plan-exit';
  return 'tool';
}

/** The text blocks of the request's tool call: the plan, for a plan-exit request. */
export function requestText(request: RequestPermissionRequest): string {
  return (request.toolCall.content ?? [])
    .map((item) => (item.type === 'content' && item.content.type === 'text' ? item.content.text : ''))
    .filter(Boolean)
    .join('\n\n');
}
