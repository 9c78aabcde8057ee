// Questions from the agent, drawn above the input: plain permission prompts, the agent's
// questions (ask_user) and the plan-exit request, each keyboard-operable.
import type { RequestPermissionRequest } from '@agentclientprotocol/sdk';
import { questionsOf, type AgentQuestion, type PendingPermission, type WebviewMessage } from '../shared/messages';
import { button, el } from './dom';
import { renderMarkdown } from './markdown';
import { renderContent } from './render-transcript';

type Post = (message: WebviewMessage) => void;

export function renderPermission(permission: PendingPermission, post: Post): HTMLElement {
  const { request, requestId } = permission;
  const questions = questionsOf(request);
  if (questions) return questionsCard(requestId, request, questions, post);
  if (request.toolCall.kind === 'switch_mode' && request.options.some((o) => o.optionId === 'keep-planning')) return planExitCard(requestId, request, post);
  return toolCard(requestId, request, post);
}

function frame(kind: string, title: string, requestId: string, post: Post): HTMLElement {
  const card = el('div', { class: 'permission', testid: 'permission' }, [el('div', { class: 'permission-title', text: title })]);
  card.dataset.kind = kind;
  card.tabIndex = -1;
  card.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') post({ type: 'permissionResponse', requestId });
  });
  return card;
}

function toolCard(requestId: string, request: RequestPermissionRequest, post: Post): HTMLElement {
  const card = frame('tool', request.toolCall.title ?? 'Allow this tool call?', requestId, post);
  for (const content of request.toolCall.content ?? []) card.append(renderContent(content));
  const row = el('div', { class: 'options' });
  request.options.forEach((option, index) => {
    const choice = button(`${index + 1}. ${option.name}`, () => post({ type: 'permissionResponse', requestId, optionId: option.optionId }), {
      class: option.kind.startsWith('reject') ? 'secondary' : '',
      testid: `option-${option.optionId}`,
    });
    row.append(choice);
  });
  card.append(row);
  card.addEventListener('keydown', (event) => {
    const index = Number(event.key) - 1;
    const option = request.options[index];
    if (option && !(event.target instanceof HTMLTextAreaElement)) post({ type: 'permissionResponse', requestId, optionId: option.optionId });
  });
  return card;
}

function questionsCard(requestId: string, request: RequestPermissionRequest, questions: AgentQuestion[], post: Post): HTMLElement {
  const card = frame('questions', questions.length === 1 ? 'The agent asks' : `The agent asks ${questions.length} questions`, requestId, post);
  const inputs = questions.map((question) => {
    const input = el('textarea', { class: 'answer', testid: 'answer-input' });
    input.rows = 2;
    input.placeholder = 'Your answer';
    const choices = el('div', { class: 'choices' });
    for (const option of question.options ?? []) {
      choices.append(button(option, () => (input.value = option), { class: 'choice secondary', testid: 'answer-choice' }));
    }
    card.append(el('div', { class: 'question', testid: 'question' }, [el('div', { class: 'question-text', text: question.question }), choices, input]));
    return input;
  });
  const send = () => post({ type: 'permissionResponse', requestId, optionId: 'answer', answers: inputs.map((input) => input.value.trim()) });
  const hasSkip = request.options.some((o) => o.optionId === 'skip');
  card.append(
    el('div', { class: 'options' }, [
      button('Send answers', send, { testid: 'send-answers' }),
      hasSkip && button('Skip', () => post({ type: 'permissionResponse', requestId, optionId: 'skip' }), { class: 'secondary', testid: 'skip-questions' }),
    ]),
  );
  for (const input of inputs) {
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) send();
    });
  }
  return card;
}

function planExitCard(requestId: string, request: RequestPermissionRequest, post: Post): HTMLElement {
  const card = frame('plan-exit', request.toolCall.title ?? 'Ready to implement this plan?', requestId, post);
  const planText = (request.toolCall.content ?? []).map((c) => (c.type === 'content' && c.content.type === 'text' ? c.content.text : '')).join('\n');
  if (planText) {
    const body = el('div', { class: 'plan-text' });
    renderMarkdown(body, planText, () => {});
    card.append(body);
  }
  const feedback = el('textarea', { class: 'feedback', testid: 'feedback-input' });
  feedback.placeholder = 'What should change in the plan?';
  feedback.rows = 3;
  const feedbackRow = el('div', { class: 'feedback-row hidden' }, [
    feedback,
    button('Send feedback', () => post({ type: 'permissionResponse', requestId, optionId: 'keep-planning', feedback: feedback.value }), { testid: 'send-feedback' }),
  ]);
  const has = (id: string) => request.options.some((o) => o.optionId === id);
  card.append(
    el('div', { class: 'options' }, [
      has('implement-accept-edits') && button('Approve and implement', () => post({ type: 'permissionResponse', requestId, optionId: 'implement-accept-edits' }), { testid: 'approve-plan' }),
      has('implement-ask') && button('Approve, ask before edits', () => post({ type: 'permissionResponse', requestId, optionId: 'implement-ask' }), { class: 'secondary', testid: 'approve-plan-ask' }),
      button('Keep planning', () => {
        feedbackRow.classList.remove('hidden');
        feedback.focus();
      }, { class: 'secondary', testid: 'keep-planning' }),
    ]),
    feedbackRow,
  );
  return card;
}
