// The two prompts that are conversations rather than permissions: the agent's questions
// (ask_user: suggested answers plus a free-text field each) and the plan-mode exit (approve
// the plan, or keep planning with feedback).
import type { RequestPermissionRequest } from '@agentclientprotocol/sdk';
import { questionsOf, type AgentQuestion } from '../shared/messages';
import { button, el } from './dom';
import { MarkdownView } from './markdown';
import { installPermissionKeys, numberedButton, permissionFrame, type Respond } from './permission-frame';
import { PLAN_EXIT, requestText } from './permission-kind';

/** A textarea that grows with its text, up to the CSS max-height. */
export function growingTextarea(className: string, testid: string, placeholder: string): HTMLTextAreaElement {
  const area = el('textarea', { class: className, testid, attrs: { placeholder, rows: '1' } });
  area.addEventListener('input', () => {
    area.style.height = 'auto';
    area.style.height = `${area.scrollHeight + 2}px`;
  });
  return area;
}

function questionBlock(question: AgentQuestion, index: number, total: number): { node: HTMLElement; answer: HTMLTextAreaElement } {
  const answer = growingTextarea('answer', 'answer-input', question.options?.length ? 'Or type your own answer…' : 'Type your answer…');
  const choices = el('div', { class: 'choices' });
  (question.options ?? []).forEach((option, i) => {
    const choice = numberedButton(i + 1, option, () => {
      answer.value = option;
      for (const other of choices.querySelectorAll('button')) other.setAttribute('aria-pressed', String(other === choice));
      answer.dispatchEvent(new Event('input'));
    }, { class: 'choice secondary', testid: 'answer-choice' });
    choice.setAttribute('aria-pressed', 'false');
    choice.dataset.value = option;
    choices.append(choice);
  });
  answer.addEventListener('input', () => {
    for (const choice of choices.querySelectorAll('button')) if (choice.dataset.value !== answer.value) choice.setAttribute('aria-pressed', 'false');
  });
  const label = total > 1 ? `${index + 1}. ${question.question}` : question.question;
  const node = el('div', { class: 'question', testid: 'question' }, [el('div', { class: 'question-text', text: label }), choices.childElementCount > 0 && choices, answer]);
  return { node, answer };
}

export function questionsCard(request: RequestPermissionRequest, send: Respond): HTMLElement {
  const questions = questionsOf(request) ?? [];
  const frame = permissionFrame('questions', questions.length === 1 ? 'The agent asks' : `The agent asks ${questions.length} questions`, 'think', send);
  const blocks = questions.map((question, index) => questionBlock(question, index, questions.length));
  frame.body.append(...blocks.map((block) => block.node));
  const submit = () => frame.respond({ optionId: 'answer', answers: blocks.map((block) => block.answer.value.trim()) });
  frame.actions.append(
    button('Send answers', submit, { class: 'primary', testid: 'send-answers' }),
    button('Skip', () => frame.respond({ optionId: 'skip' }), { class: 'secondary', testid: 'skip-questions', title: 'Let the agent go on without answers' }),
    el('span', { class: 'hint', text: 'Enter sends · Shift+Enter new line · Esc dismisses' }),
  );
  blocks.forEach((block, index) => {
    block.answer.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
      event.preventDefault();
      // Enter moves on to the next question; on the last one it sends.
      const next = blocks[index + 1];
      if (next && !(event.ctrlKey || event.metaKey)) next.answer.focus();
      else submit();
    });
  });
  installPermissionKeys(frame, frame.respond, (focused) => (focused?.closest('.question') as HTMLElement | null) ?? blocks[0]?.node ?? frame.node);
  return frame.node;
}

export function planExitCard(request: RequestPermissionRequest, send: Respond): HTMLElement {
  const frame = permissionFrame('plan-exit', request.toolCall.title ?? 'Ready to implement this plan?', 'switch_mode', send);
  const plan = requestText(request);
  if (plan) {
    const markdown = new MarkdownView('plan-text', 'plan-text');
    markdown.update(plan);
    frame.body.append(markdown.node);
  }
  const feedback = growingTextarea('feedback', 'feedback-input', 'What should change in the plan? (Enter sends)');
  const sendFeedback = () => frame.respond({ optionId: PLAN_EXIT.keepPlanning, feedback: feedback.value.trim() });
  const feedbackRow = el('div', { class: 'feedback-row hidden' }, [feedback, button('Send feedback', sendFeedback, { class: 'primary', testid: 'send-feedback' })]);
  feedback.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendFeedback();
    }
  });
  const offered = new Set(request.options.map((option) => option.optionId));
  const choices: Array<[string, string, string, () => void]> = [
    [PLAN_EXIT.acceptEdits, 'Approve and implement', 'approve-plan', () => frame.respond({ optionId: PLAN_EXIT.acceptEdits })],
    [PLAN_EXIT.ask, 'Approve, ask before edits', 'approve-plan-ask', () => frame.respond({ optionId: PLAN_EXIT.ask })],
    [PLAN_EXIT.keepPlanning, 'Keep planning', 'keep-planning', () => {
      feedbackRow.classList.remove('hidden');
      feedback.focus();
    }],
  ];
  let key = 0;
  for (const [optionId, label, testid, action] of choices) {
    if (!offered.has(optionId)) continue;
    key++;
    frame.actions.append(numberedButton(key, label, action, { class: key === 1 ? 'primary' : 'secondary', testid }));
  }
  frame.node.append(feedbackRow);
  installPermissionKeys(frame, frame.respond);
  return frame.node;
}
