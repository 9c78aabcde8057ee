// The four UI tests: what a user does in the panel and what they must see.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIRST_CHANGE, SECOND_CHANGE } from '../harness/scenario-model';
import type { Workbench } from './workbench';

export interface UiTest {
  name: string;
  run(workbench: Workbench, workspace: string): Promise<void>;
}

const LONG = { timeout: 60_000 };

/** (a) a chat turn with a tool call: the card completes, the answer renders as markdown. */
const chat: UiTest = {
  name: 'chat-with-tool-card',
  async run(wb) {
    const panel = await wb.openPanel();
    await wb.send('chat: what is in this workspace?');
    await panel.locator('[data-testid="message-user"]', { hasText: 'what is in this workspace' }).waitFor(LONG);
    await panel.locator('[data-testid="tool-card"][data-kind="read"][data-status="completed"]').waitFor(LONG);
    const answer = panel.locator('[data-testid="message-agent"]', { hasText: 'What I found' });
    await answer.waitFor(LONG);
    await answer.locator('pre code').waitFor();
    await answer.locator('h2').waitFor();
    await panel.locator('[data-testid="tool-card"]').first().locator('summary').click();
    await wb.screenshot('chat-tool-card');
  },
};

/** (b) plan mode end to end, with one hunk accepted and one rejected in the review. */
const plan: UiTest = {
  name: 'plan-approve-review',
  async run(wb, workspace) {
    const panel = await wb.openPanel();
    await wb.send('hello');
    await panel.locator('[data-testid="message-agent"]').first().waitFor(LONG);
    await panel.locator('[data-testid="mode-select"]').selectOption('plan');
    await panel.locator('[data-testid="mode-select"] option[value="plan"]:checked').waitFor({ state: 'attached', timeout: 60_000 });
    await wb.send('plan: make the greetings casual');
    const questions = panel.locator('[data-testid="permission"][data-kind="questions"]');
    await questions.waitFor(LONG);
    await questions.locator('[data-testid="answer-choice"]', { hasText: 'casual' }).click();
    await wb.screenshot('plan-question');
    await questions.locator('[data-testid="send-answers"]').click();
    await panel.locator('[data-testid="plan-entry"]').nth(2).waitFor(LONG);
    const exit = panel.locator('[data-testid="permission"][data-kind="plan-exit"]');
    await exit.waitFor(LONG);
    assert.equal(await panel.locator('[data-testid="plan-entry"]').count(), 3);
    await wb.screenshot('plan-live-and-approval');
    await exit.locator('[data-testid="approve-plan"]').click();
    await panel.locator('[data-testid="message-agent"]', { hasText: 'Done:' }).waitFor(LONG);
    const hunks = panel.locator('[data-testid="review-file"] [data-testid="hunk"]');
    await hunks.nth(1).waitFor(LONG);
    assert.equal(await hunks.count(), 2, 'two separate changes, two hunks');
    await wb.screenshot('review-two-hunks');
    await hunks.first().locator('[data-testid="accept-hunk"]').click();
    await panel.locator('[data-testid="review-file"] [data-testid="hunk"]').nth(1).waitFor({ state: 'detached', timeout: 20_000 });
    await panel.locator('[data-testid="hunk"]').first().locator('[data-testid="reject-hunk"]').click();
    await panel.locator('[data-testid="rejections-note"]').waitFor(LONG);
    await wb.screenshot('review-after-verdicts');
    const onDisk = readFileSync(join(workspace, 'greet.js'), 'utf8');
    assert.ok(onDisk.includes(FIRST_CHANGE), 'the accepted change is on disk');
    assert.ok(!onDisk.includes(SECOND_CHANGE), 'the rejected change is not on disk');
    assert.ok(onDisk.includes('return `Farewell, ${name}.`;'), 'the rejected line is back');
  },
};

/** (c) reload the window mid-run: the conversation comes back and the run goes on. */
const reload: UiTest = {
  name: 'reload-mid-run',
  async run(wb) {
    let panel = await wb.openPanel();
    await wb.send('reload: count slowly');
    await panel.locator('[data-testid="message-agent"]', { hasText: 'step 3 of' }).waitFor(LONG);
    await wb.screenshot('before-reload');
    await wb.command('Developer: Reload Window');
    await wb.page.waitForTimeout(500); // the old page unloads; the new one is awaited below
    await wb.page.locator('.monaco-workbench').waitFor(LONG);
    panel = await wb.openPanel();
    await panel.locator('[data-testid="message-user"]', { hasText: 'count slowly' }).waitFor(LONG);
    await wb.screenshot('after-reload');
    await panel.locator('[data-testid="message-agent"]', { hasText: 'END-OF-RUN' }).waitFor(LONG);
    assert.equal(await panel.locator('[data-testid="message-user"]').count(), 1, 'the prompt is shown once');
    await panel.locator('[data-testid="cancel"]').waitFor({ state: 'hidden', timeout: 20_000 });
    await wb.screenshot('run-finished');
  },
};

/** (d) cancel a long shell command: the turn stops at once and the panel is usable again. */
const cancel: UiTest = {
  name: 'cancel-long-command',
  async run(wb) {
    const panel = await wb.openPanel();
    await wb.send('cancel: run something slow');
    const prompt = panel.locator('[data-testid="permission"][data-kind="tool"]');
    await prompt.waitFor(LONG);
    await wb.screenshot('shell-permission');
    await prompt.locator('[data-testid="option-allow_once"]').click();
    await panel.locator('[data-testid="tool-card"][data-kind="execute"][data-status="in_progress"]').waitFor(LONG);
    await wb.screenshot('shell-running');
    const started = Date.now();
    await panel.locator('[data-testid="cancel"]').click();
    await panel.locator('[data-testid="cancel"]').waitFor({ state: 'hidden', timeout: 10_000 });
    await panel.locator('[data-testid="tool-card"][data-kind="execute"][data-status="in_progress"]').waitFor({ state: 'detached', timeout: 10_000 });
    const stoppedMs = Date.now() - started;
    assert.ok(stoppedMs < 5_000, `cancel took ${stoppedMs} ms`);
    await wb.screenshot('cancelled');
  },
};

export const UI_TESTS: UiTest[] = [chat, plan, reload, cancel];
