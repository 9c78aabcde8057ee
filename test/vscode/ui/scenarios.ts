// The four UI tests: what a user does in the panel and what they must see. Each drives the
// scenario model (test/vscode/harness/scenario-model.ts) through a keyword in its prompt.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIRST_CHANGE, SECOND_CHANGE } from '../harness/scenario-model';
import { testid, type Workbench } from './workbench';

export interface UiTest {
  name: string;
  run(workbench: Workbench, workspace: string): Promise<void>;
}

const LONG = { timeout: 60_000 };

/** (a) a chat turn with a tool call: the card completes, the answer renders as markdown. */
const chat: UiTest = {
  name: 'chat-with-tool-card',
  async run(wb) {
    await wb.openPanel();
    await wb.send('chat: what is in this workspace?');
    await wb.find('message-user').filter({ hasText: 'what is in this workspace' }).waitFor(LONG);
    await wb.find('tool-card', { kind: 'read', status: 'completed' }).waitFor(LONG);
    const answer = wb.find('message-agent').filter({ hasText: 'What I found' });
    await answer.waitFor(LONG);
    await answer.locator('h2').waitFor();
    await answer.locator('li').nth(1).waitFor();
    await answer.locator('pre code').waitFor();
    await wb.find('tool-card').first().locator('summary').click(); // open the card for the screenshot
    await wb.screenshot('chat-tool-card');
  },
};

/** Plan mode needs a session (the pickers come with it): make one without sending a prompt. */
async function switchToPlanMode(wb: Workbench): Promise<void> {
  const select = wb.find('mode-select');
  if (!(await select.isVisible())) await wb.find('header-new-session').click();
  await select.waitFor(LONG);
  await select.selectOption('plan');
  await wb.panel().locator(`${testid('mode-select')} option[value="plan"]:checked`).waitFor({ state: 'attached', ...LONG });
}

/** The questions, the live plan and its approval. */
async function planUntilApproved(wb: Workbench): Promise<void> {
  await switchToPlanMode(wb);
  await wb.send('plan: make the greetings casual');
  const questions = wb.find('permission', { kind: 'questions' });
  await questions.waitFor(LONG);
  await questions.locator(testid('question')).filter({ hasText: 'Which greeting style' }).waitFor();
  await questions.locator(testid('answer-choice')).filter({ hasText: 'casual' }).click();
  assert.equal(await questions.locator(testid('answer-input')).inputValue(), 'casual', 'the choice fills the answer');
  await wb.screenshot('questions');
  await questions.locator(testid('send-answers')).click();
  await wb.find('plan-entry').nth(2).waitFor(LONG);
  assert.equal(await wb.find('plan-entry').count(), 3);
  await wb.screenshot('plan');
  const exit = wb.find('permission', { kind: 'plan-exit' });
  await exit.waitFor(LONG);
  await wb.screenshot('approval');
  await exit.locator(testid('approve-plan')).click();
}

/** (b) plan mode end to end, with one hunk accepted and one rejected in the review. */
const plan: UiTest = {
  name: 'plan-approve-review',
  async run(wb, workspace) {
    await wb.openPanel();
    await planUntilApproved(wb);
    // The approval picked a mode that accepts edits, so edit_file should not ask; allow it if it does.
    await wb.allowUntil(wb.find('message-agent').filter({ hasText: 'Done:' }));
    await wb.find('message-agent').filter({ hasText: 'casual style' }).waitFor(LONG);
    const file = wb.find('review-file').filter({ hasText: 'greet.js' });
    const hunks = file.locator(testid('hunk'));
    await hunks.nth(1).waitFor(LONG);
    assert.equal(await hunks.count(), 2, 'two separate changes, two hunks');
    await wb.screenshot('review');
    await hunks.filter({ hasText: 'Hi ${name}' }).locator(testid('accept-hunk')).click();
    await hunks.nth(1).waitFor({ state: 'detached', timeout: 20_000 });
    await hunks.filter({ hasText: 'Bye ${name}' }).locator(testid('reject-hunk')).click();
    await hunks.first().waitFor({ state: 'detached', timeout: 20_000 });
    await wb.find('rejections-note').waitFor(LONG);
    await wb.screenshot('after');
    const onDisk = readFileSync(join(workspace, 'greet.js'), 'utf8');
    assert.ok(onDisk.includes(FIRST_CHANGE.after), 'the accepted change is on disk');
    assert.ok(!onDisk.includes(SECOND_CHANGE.after), 'the rejected change is not on disk');
    assert.ok(onDisk.includes(SECOND_CHANGE.before), 'the rejected line is back');
  },
};

/** (c) reload the window mid-run: the conversation comes back and the run goes on. */
const reload: UiTest = {
  name: 'reload-mid-run',
  async run(wb) {
    await wb.openPanel();
    await wb.send('reload: count slowly');
    await wb.find('message-agent').filter({ hasText: 'step 3 of' }).waitFor(LONG);
    await wb.screenshot('before-reload');
    const reloaded = wb.page.waitForEvent('load', LONG);
    await wb.command('Developer: Reload Window');
    await reloaded;
    await wb.waitForWorkbench();
    await wb.openPanel();
    await wb.find('message-user').filter({ hasText: 'count slowly' }).waitFor(LONG);
    await wb.screenshot('after-reload');
    const end = wb.find('message-agent').filter({ hasText: 'END-OF-RUN' });
    await end.waitFor(LONG);
    assert.equal(await wb.find('message-user').count(), 1, 'the prompt is shown once');
    // Each of the 40 lines exactly once: nothing lost or repeated across the reload.
    assert.equal(await end.locator('li').count(), 40, 'the whole answer, once');
    assert.match(await end.locator('li').last().innerText(), /step 40 of the long answer/);
    await wb.find('cancel').waitFor({ state: 'hidden', timeout: 20_000 });
    await wb.screenshot('run-finished');
  },
};

/** (d) cancel a long shell command: the turn stops at once and the panel is usable again. */
const cancel: UiTest = {
  name: 'cancel-long-command',
  async run(wb) {
    await wb.openPanel();
    await wb.send('cancel: run something slow');
    const running = wb.find('tool-card', { kind: 'execute', status: 'in_progress' });
    await wb.allowUntil(running);
    await wb.screenshot('shell-running');
    const started = Date.now();
    await wb.find('cancel').click();
    await running.waitFor({ state: 'detached', timeout: 5_000 });
    await wb.find('cancel').waitFor({ state: 'hidden', timeout: 5_000 });
    const stoppedMs = Date.now() - started;
    assert.ok(stoppedMs < 5_000, `cancel took ${stoppedMs} ms`);
    const input = wb.find('input');
    assert.equal(await input.isEditable(), true, 'the message box is usable again');
    await wb.screenshot('cancelled');
  },
};

export const UI_TESTS: UiTest[] = [chat, plan, reload, cancel];
