// session/request_permission reaches the user: shown in the panel when it is visible, kept
// pending (and sent to a notification) when not, and answered with the panel's extra fields.
import { describe, it } from 'mocha';
import * as assert from 'node:assert/strict';
import type * as acp from '@agentclientprotocol/sdk';
import * as vscode from 'vscode';
import { route } from '../../../extension/panel/router';
import { tetherApi, waitFor } from './tether-api';

function planExitRequest(sessionId: string): acp.RequestPermissionRequest {
  return {
    sessionId,
    toolCall: { toolCallId: 'call-1', title: 'Ready to implement this plan?', kind: 'switch_mode', status: 'pending' },
    options: [
      { optionId: 'implement-accept-edits', name: 'Approve and implement', kind: 'allow_always' },
      { optionId: 'keep-planning', name: 'Keep planning', kind: 'reject_once' },
    ],
  };
}

describe('permission routing', () => {
  it('a visible panel gets the question; its answer carries the feedback', async () => {
    const { app } = await tetherApi();
    await vscode.commands.executeCommand('tether.openPanel');
    await waitFor('the panel to be visible and ready', () => app.panel.visible);
    const answer = app.permissions.ask(planExitRequest('s1'));
    const [pending] = app.permissions.pending();
    assert.ok(pending);
    await route({ type: 'permissionResponse', requestId: pending.requestId, optionId: 'keep-planning', feedback: '  split step 2  ' }, routerFor(app));
    assert.deepEqual(await answer, { outcome: { outcome: 'selected', optionId: 'keep-planning' }, _meta: { tether: { feedback: 'split step 2' } } });
    assert.equal(app.permissions.pending().length, 0);
  });

  it('with the panel hidden the question waits, and is there when the panel opens', async () => {
    const { app } = await tetherApi();
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await waitFor('the panel to be hidden', () => !app.panel.visible);
    const answer = app.permissions.ask(planExitRequest('s2'));
    await vscode.commands.executeCommand('tether.openPanel');
    await waitFor('the panel to be visible again', () => app.panel.visible);
    const [pending] = app.permissions.pending();
    assert.equal(pending?.request.sessionId, 's2');
    await route({ type: 'permissionResponse', requestId: pending!.requestId, optionId: 'implement-accept-edits' }, routerFor(app));
    assert.deepEqual(await answer, { outcome: { outcome: 'selected', optionId: 'implement-accept-edits' } });
  });

  it('an unknown option or a dismissal is answered as cancelled; the end of a turn cancels what is open', async () => {
    const { app } = await tetherApi();
    const first = app.permissions.ask(planExitRequest('s3'));
    const id = app.permissions.pending()[0]!.requestId;
    await route({ type: 'permissionResponse', requestId: id, optionId: 'made-up' }, routerFor(app));
    assert.deepEqual(await first, { outcome: { outcome: 'cancelled' } });
    const second = app.permissions.ask(planExitRequest('s3'));
    app.permissions.cancelAll('s3');
    assert.deepEqual(await second, { outcome: { outcome: 'cancelled' } });
  });
});

function routerFor(app: Awaited<ReturnType<typeof tetherApi>>['app']) {
  return {
    sessions: app.sessions,
    permissions: app.permissions,
    review: app.review,
    sendPrompt: (text: string) => app.sendPrompt(text),
    sendReset: () => {},
    refreshSessions: () => app.refreshSessions(),
    recordLatency: () => {},
    showError: (message: string) => assert.fail(message),
  };
}
