// The bundled panel in a real browser: what the user does posts the right messages, streamed
// text redraws only the last message, and the host's CSP is never violated. Skipped where no
// Chromium is installed.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { SessionUpdate } from '@agentclientprotocol/sdk';
import type { HostMessage, PendingPermission, SessionView } from '../../../extension/shared/messages';
import { haveChromium, openPanelPage, type PanelPage } from './support/panel-page';

const text = (t: string) => ({ type: 'text' as const, text: t });
const session: SessionView = {
  sessionId: 's1',
  title: 'Greetings',
  cwd: '/w',
  running: false,
  configOptions: [{ id: 'mode', name: 'Mode', type: 'select', currentValue: 'default', options: [{ value: 'default', name: 'Default' }, { value: 'plan', name: 'Plan' }] }],
};
const reset = (over: Partial<Extract<HostMessage, { type: 'reset' }>> = {}): HostMessage => ({ type: 'reset', connection: 'connected', session, updates: [], queued: [], permissions: [], review: { files: [], unreportedRejections: 0 }, sessions: [], ...over });
const update = (u: SessionUpdate): HostMessage => ({ type: 'update', update: u, sentAt: Date.now() });
const tid = (id: string) => `[data-testid="${id}"]`;
const TOOL_OPTIONS = [
  { optionId: 'allow_once', name: 'Allow', kind: 'allow_once' as const },
  { optionId: 'allow_always', name: 'Always allow', kind: 'allow_always' as const },
  { optionId: 'reject_once', name: 'Reject', kind: 'reject_once' as const },
];
const toolPermission = (requestId: string): PendingPermission => ({ requestId, request: { sessionId: 's1', toolCall: { toolCallId: requestId, title: 'Run npm install', kind: 'execute', rawInput: { command: 'npm install' } }, options: TOOL_OPTIONS } });
const questions: PendingPermission = {
  requestId: 'q1',
  request: {
    sessionId: 's1',
    toolCall: { toolCallId: 'q', title: 'Questions', kind: 'think' },
    options: [{ optionId: 'answer', name: 'Answer', kind: 'allow_once' }, { optionId: 'skip', name: 'Skip', kind: 'reject_once' }],
    _meta: { tether: { questions: [{ question: 'Tone?', options: ['formal', 'casual'] }, { question: 'Name?' }] } },
  },
};
const planExit: PendingPermission = {
  requestId: 'e1',
  request: {
    sessionId: 's1',
    toolCall: { toolCallId: 'e', title: 'Ready to implement this plan?', kind: 'switch_mode', content: [{ type: 'content', content: text('# The plan\n\n1. Do a') }] },
    options: ['implement-accept-edits', 'implement-ask', 'keep-planning'].map((optionId) => ({ optionId, name: optionId, kind: 'allow_once' as const })),
  },
};

describe('webview panel in Chromium', { skip: !haveChromium && 'no Chromium here' }, () => {
  let panel: PanelPage;
  const $ = (selector: string) => panel.page.locator(selector);
  const lastPosted = async () => (await panel.posted()).at(-1);
  const focusedTestId = () => panel.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid);

  before(async () => {
    panel = await openPanelPage();
  });
  after(async () => {
    await panel?.close();
  });
  beforeEach(async () => {
    await panel.send(reset());
    await panel.clearPosted();
  });

  it('says ready on load and shows the connection', async () => {
    await panel.page.reload();
    assert.deepEqual((await panel.posted())[0], { type: 'ready' });
    await panel.send(reset());
    assert.equal(await $(tid('connection')).getAttribute('data-state'), 'connected');
  });

  it('streams text into one message, touching nothing else, and reports each render', async () => {
    await panel.send(reset({ updates: [{ sessionUpdate: 'user_message_chunk', content: text('hi') }, { sessionUpdate: 'agent_message_chunk', content: text('first answer') }, { sessionUpdate: 'tool_call', toolCallId: 't', title: 'Read a', kind: 'read' }] }));
    const result = await panel.page.evaluate(() => {
      const transcript = document.querySelector('.transcript')!;
      let outside = 0;
      const times: number[] = [];
      const observer = new MutationObserver((records) => {
        const agents = document.querySelectorAll('[data-testid="message-agent"]');
        for (const record of records) if (!agents[agents.length - 1]!.contains(record.target)) outside++;
      });
      for (let i = 0; i < 300; i++) {
        const started = performance.now();
        const chunk = i % 25 === 24 ? `word${i}.\n\n` : `word${i} `;
        window.dispatchEvent(new MessageEvent('message', { data: { type: 'update', sentAt: Date.now(), update: { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: chunk } } } }));
        times.push(performance.now() - started);
        if (i === 0) observer.observe(transcript, { subtree: true, childList: true, characterData: true, attributes: true });
      }
      observer.disconnect();
      return { outside, worst: Math.max(...times), messages: document.querySelectorAll('[data-testid="message-agent"]').length };
    });
    assert.equal(result.outside, 0, 'only the streaming message changes');
    assert.equal(result.messages, 2, 'the tool call split the answers');
    assert.ok(result.worst < 50, `a delta took ${result.worst} ms`);
    const rendered = (await panel.posted()).filter((message) => message.type === 'rendered');
    assert.equal(rendered.length, 300);
  });

  it('renders markdown safely with copyable code and file links', async () => {
    await panel.send(reset({ updates: [{ sessionUpdate: 'agent_message_chunk', content: text('## Found\n\nSee [a](src/a.ts#L4) <img src=x onerror=alert(1)>\n\n```sh\necho hi\n```\n\n| l | r |\n|:-|-:|\n| 1 | 2 |\n') }] }));
    assert.equal(await $(`${tid('message-agent')} h2`).textContent(), 'Found');
    assert.equal(await $(`${tid('message-agent')} img`).count(), 0, 'raw HTML stays text');
    await $(tid('copy-code')).click();
    await $('a[href="src/a.ts#L4"]').click();
    assert.deepEqual(await panel.posted(), [{ type: 'copy', text: 'echo hi\n' }, { type: 'openLocation', path: '/w/src/a.ts', line: 4 }]);
    assert.deepEqual(panel.problems, [], 'no CSP violations (table alignment uses classes)');
  });

  it('tool cards show status and kind, keep their fold, and open locations', async () => {
    await panel.send(update({ sessionUpdate: 'tool_call', toolCallId: 't', title: 'Run ls', kind: 'execute', status: 'pending', rawInput: { command: 'ls' }, locations: [{ path: '/w/a.txt', line: 2 }] }));
    await $(`${tid('tool-card')} summary`).click();
    await panel.send(update({ sessionUpdate: 'tool_call_update', toolCallId: 't', status: 'completed', content: [{ type: 'content', content: text('a.txt') }] }));
    const card = $(`${tid('tool-card')}[data-kind="execute"][data-status="completed"]`);
    assert.equal(await card.evaluate((node) => (node as HTMLDetailsElement).open), true);
    assert.match((await card.textContent()) ?? '', /\$ ls[\s\S]*a\.txt/);
    await card.locator(tid('location')).click();
    assert.deepEqual(await lastPosted(), { type: 'openLocation', path: '/w/a.txt', line: 2 });
    assert.equal(await card.evaluate((node) => (node as HTMLDetailsElement).open), true, 'the link does not fold the card');
  });

  it('the input sends on Enter, cancels on Escape while running, and shows queued prompts', async () => {
    await panel.send({ type: 'session', session: { ...session, running: true } });
    assert.ok(await $(tid('cancel')).isVisible());
    await $(tid('input')).fill('line one');
    await $(tid('input')).press('Shift+Enter');
    await $(tid('input')).pressSequentially('two');
    await $(tid('input')).press('Enter');
    assert.deepEqual(await lastPosted(), { type: 'prompt', text: 'line one\ntwo' });
    await $(tid('input')).press('Escape');
    assert.deepEqual(await lastPosted(), { type: 'cancel' });
    await panel.send({ type: 'queue', queued: ['later'] });
    assert.equal(await $(tid('queued')).textContent(), 'queuedlater');
    await panel.send(update({ sessionUpdate: 'session_info_update', _meta: { tether: { turn: { state: 'idle' } } } }));
    assert.equal(await $(tid('cancel')).isVisible(), false);
    await panel.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await panel.send({ type: 'focusInput' });
    assert.equal(await focusedTestId(), 'input');
  });

  it('the mode picker posts setConfigOption and follows the server', async () => {
    await $(tid('mode-select')).selectOption('plan');
    assert.deepEqual(await lastPosted(), { type: 'setConfigOption', configId: 'mode', value: 'plan' });
    await panel.send(update({ sessionUpdate: 'current_mode_update', currentModeId: 'default' }));
    assert.equal(await $(tid('mode-select')).inputValue(), 'default');
  });

  it('a tool permission takes the focus; number keys choose, Escape dismisses', async () => {
    await panel.send({ type: 'permission', permission: toolPermission('p1') });
    assert.equal(await focusedTestId(), 'option-allow_once');
    await panel.page.keyboard.press('2');
    assert.deepEqual(await lastPosted(), { type: 'permissionResponse', requestId: 'p1', optionId: 'allow_always' });
    await panel.send({ type: 'permissionResolved', requestId: 'p1' });
    await panel.send({ type: 'permission', permission: toolPermission('p2') });
    await panel.page.keyboard.press('Escape');
    assert.deepEqual(await lastPosted(), { type: 'permissionResponse', requestId: 'p2' });
  });

  it('questions: a choice fills the answer, Enter moves on, the last Enter sends all answers', async () => {
    await panel.send({ type: 'permission', permission: questions });
    const card = $(`${tid('permission')}[data-kind="questions"]`);
    await card.locator(tid('answer-choice'), { hasText: 'casual' }).click();
    assert.equal(await card.locator(tid('answer-input')).first().inputValue(), 'casual');
    await card.locator(tid('answer-input')).first().press('Enter');
    assert.equal(await focusedTestId(), 'answer-input');
    await panel.page.keyboard.type('Bob');
    await panel.page.keyboard.press('Enter');
    assert.deepEqual(await lastPosted(), { type: 'permissionResponse', requestId: 'q1', optionId: 'answer', answers: ['casual', 'Bob'] });
  });

  it('plan exit: feedback typed into one prompt survives another prompt arriving', async () => {
    await panel.send({ type: 'permission', permission: planExit });
    const card = $(`${tid('permission')}[data-kind="plan-exit"]`);
    assert.equal(await card.locator('h1').textContent(), 'The plan');
    await card.locator(tid('keep-planning')).click();
    await card.locator(tid('feedback-input')).fill('Also do b');
    await panel.send({ type: 'permission', permission: toolPermission('p3') });
    assert.equal(await focusedTestId(), 'feedback-input');
    await card.locator(tid('feedback-input')).press('Enter');
    assert.deepEqual(await lastPosted(), { type: 'permissionResponse', requestId: 'e1', optionId: 'keep-planning', feedback: 'Also do b' });
    await panel.send({ type: 'permissionResolved', requestId: 'e1' });
    await panel.send({ type: 'permission', permission: { ...planExit, requestId: 'e2' } });
    await $(`[data-kind="plan-exit"] ${tid('approve-plan')}`).click();
    assert.deepEqual(await lastPosted(), { type: 'permissionResponse', requestId: 'e2', optionId: 'implement-accept-edits' });
  });

  it('review: open diff, hunk and bulk verdicts, and the rejection note', async () => {
    const hunk = { id: '0:0:1:1', header: '@@ -0,0 +1,1 @@', lines: ['+hello'] };
    await panel.send({ type: 'review', review: { files: [{ path: '/w/a.ts', label: 'a.ts', created: true, added: 1, removed: 0, hunks: [hunk] }], unreportedRejections: 1 } });
    await $(tid('open-diff')).click();
    await $(`${tid('hunk')}[data-hunk-id="0:0:1:1"] ${tid('reject-hunk')}`).click();
    await $(tid('reject-all')).click();
    assert.deepEqual((await panel.posted()).slice(-3), [
      { type: 'openDiff', path: '/w/a.ts' },
      { type: 'reviewHunk', path: '/w/a.ts', hunkId: '0:0:1:1', verdict: 'reject' },
      { type: 'reviewAll', verdict: 'reject' },
    ]);
    assert.match((await $(tid('rejections-note')).textContent()) ?? '', /^1 rejected change will be reported/);
  });

  it('sessions: resume, delete after confirming, start a new one', async () => {
    const now = new Date().toISOString();
    await panel.send({ type: 'sessions', sessions: [{ sessionId: 's1', cwd: '/w', title: 'Greetings', updatedAt: now }, { sessionId: 's2', cwd: '/w', title: null, updatedAt: now }] });
    await $(tid('sessions-toggle')).click();
    assert.deepEqual(await lastPosted(), { type: 'refreshSessions' });
    assert.match((await $(tid('session-item')).nth(1).textContent()) ?? '', /Untitled/);
    await $(tid('session-item')).nth(1).locator('.session-open').click();
    assert.deepEqual(await lastPosted(), { type: 'resumeSession', sessionId: 's2' });
    assert.equal(await $(tid('sessions')).isVisible(), false, 'resuming closes the list');
    await $(tid('sessions-toggle')).click();
    await $(tid('delete-session')).nth(1).click();
    await $(tid('confirm-delete')).click();
    assert.deepEqual(await lastPosted(), { type: 'deleteSession', sessionId: 's2' });
    await panel.send({ type: 'sessions', sessions: [{ sessionId: 's1', cwd: '/w', title: 'Greetings', updatedAt: now }] });
    assert.equal(await $(tid('session-item')).count(), 1);
    await $(tid('close-sessions')).click();
    await $(tid('sessions-toggle')).click();
    await $(tid('new-session')).click();
    assert.deepEqual(await lastPosted(), { type: 'newSession' });
  });

  it('a reloaded panel draws its saved transcript and draft before the host answers', async () => {
    await panel.send(reset({ updates: [{ sessionUpdate: 'user_message_chunk', content: text('remember me') }, { sessionUpdate: 'tool_call', toolCallId: 't', title: 'Read', kind: 'read', status: 'completed' }] }));
    await $(tid('input')).fill('half a thought');
    await panel.page.waitForTimeout(1700); // the save is debounced
    await panel.page.reload();
    assert.equal(await $(tid('input')).inputValue(), 'half a thought');
    assert.equal(await $(tid('message-user')).textContent(), 'remember me');
    assert.equal(await $(`${tid('tool-card')}[data-status="completed"]`).count(), 1);
    assert.deepEqual(panel.problems, []);
  });
});
