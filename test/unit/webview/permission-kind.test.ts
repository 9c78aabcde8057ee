import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestPermissionRequest } from '@agentclientprotocol/sdk';
import { permissionKind, requestText } from '../../../extension/webview/permission-kind';

const request = (over: Partial<RequestPermissionRequest>): RequestPermissionRequest => ({ sessionId: 's', toolCall: { toolCallId: 'c', title: 'Run' }, options: [{ optionId: 'allow_once', name: 'Allow', kind: 'allow_once' }], ...over });

describe('permission kinds', () => {
  it('questions ride in _meta.tether.questions', () => {
    assert.equal(permissionKind(request({ _meta: { tether: { questions: [{ question: 'Which?', options: ['a'] }] } } })), 'questions');
    assert.equal(permissionKind(request({ _meta: { tether: { questions: [] } } })), 'tool', 'no questions, a plain prompt');
  });

  it('the plan exit is a switch_mode call offering keep-planning', () => {
    const options = ['implement-accept-edits', 'implement-ask', 'keep-planning'].map((optionId) => ({ optionId, name: optionId, kind: 'allow_once' as const }));
    const plan = request({ toolCall: { toolCallId: 'c', kind: 'switch_mode', content: [{ type: 'content', content: { type: 'text', text: '# Plan\n1. a' } }] }, options });
    assert.equal(permissionKind(plan), 'plan-exit');
    assert.equal(requestText(plan), '# Plan\n1. a');
    assert.equal(permissionKind(request({ toolCall: { toolCallId: 'c', kind: 'switch_mode' } })), 'tool');
  });
});
