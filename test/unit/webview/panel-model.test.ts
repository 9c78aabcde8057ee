import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionConfigOption } from '@agentclientprotocol/sdk';
import type { HostMessage, PendingPermission, SessionView } from '../../../extension/shared/messages';
import { applyHostMessage, emptyModel } from '../../../extension/webview/panel-model';
import { compactUpdates } from '../../../extension/webview/snapshot';
import { Transcript } from '../../../extension/webview/transcript';

const modeOption = (value: string): SessionConfigOption => ({ id: 'mode', name: 'Mode', type: 'select', currentValue: value, options: [{ value: 'default', name: 'Default' }, { value: 'plan', name: 'Plan' }] });
const session = (over: Partial<SessionView> = {}): SessionView => ({ sessionId: 's', cwd: '/w', running: false, configOptions: [modeOption('default')], ...over });
const reset = (over: Partial<Extract<HostMessage, { type: 'reset' }>> = {}): HostMessage => ({ type: 'reset', connection: 'connected', session: session(), updates: [], queued: [], permissions: [], review: { files: [], unreportedRejections: 0 }, sessions: [], ...over });
const update = (u: Extract<HostMessage, { type: 'update' }>['update']): HostMessage => ({ type: 'update', update: u, sentAt: 0 });
const marker = (state: 'running' | 'idle') => update({ sessionUpdate: 'session_info_update', _meta: { tether: { turn: { state } } } });
const permission = (requestId: string): PendingPermission => ({ requestId, request: { sessionId: 's', toolCall: { toolCallId: requestId }, options: [] } });

describe('panel model', () => {
  it('a reset replaces everything and folds the updates', () => {
    const model = emptyModel();
    const applied = applyHostMessage(model, reset({ updates: [{ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'hi' } }], queued: ['later'], permissions: [permission('p1')] }));
    assert.equal(applied.reset, true);
    assert.ok(applied.parts.has('transcript') && applied.parts.has('permissions'));
    assert.equal(model.transcript.entries.length, 1);
    assert.deepEqual(model.queued, ['later']);
    assert.equal(model.permissions.length, 1);
  });

  it('an update redraws only its part', () => {
    const model = emptyModel();
    applyHostMessage(model, reset());
    assert.deepEqual([...applyHostMessage(model, update({ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'x' } })).parts], ['transcript']);
    assert.deepEqual([...applyHostMessage(model, update({ sessionUpdate: 'plan', entries: [] })).parts], ['plan']);
    assert.deepEqual([...applyHostMessage(model, update({ sessionUpdate: 'usage_update', used: 1, size: 2 })).parts], ['usage']);
  });

  it('running: the latest of session view and turn marker wins', () => {
    const model = emptyModel();
    applyHostMessage(model, reset());
    assert.ok(applyHostMessage(model, marker('running')).parts.has('running'));
    assert.equal(model.running, true);
    applyHostMessage(model, { type: 'session', session: session({ running: false }) });
    assert.equal(model.running, false);
    applyHostMessage(model, update({ sessionUpdate: 'session_info_update', title: 'Renamed' }));
    assert.equal(model.running, false, 'a title update is no turn marker');
    assert.equal(model.title, 'Renamed');
    applyHostMessage(model, { type: 'session', session: session({ running: true }) });
    assert.equal(model.running, true);
  });

  it('a mode change patches the mode option; new options replace them', () => {
    const model = emptyModel();
    applyHostMessage(model, reset());
    applyHostMessage(model, update({ sessionUpdate: 'current_mode_update', currentModeId: 'plan' }));
    assert.equal(model.configOptions[0]?.type === 'select' && model.configOptions[0].currentValue, 'plan');
    applyHostMessage(model, update({ sessionUpdate: 'config_option_update', configOptions: [modeOption('default')] }));
    assert.equal(model.configOptions[0]?.type === 'select' && model.configOptions[0].currentValue, 'default');
  });

  it('permissions are added once per request id and removed when resolved', () => {
    const model = emptyModel();
    applyHostMessage(model, { type: 'permission', permission: permission('a') });
    applyHostMessage(model, { type: 'permission', permission: permission('b') });
    applyHostMessage(model, { type: 'permission', permission: permission('a') });
    assert.deepEqual(model.permissions.map((p) => p.requestId), ['b', 'a']);
    applyHostMessage(model, { type: 'permissionResolved', requestId: 'b' });
    assert.deepEqual(model.permissions.map((p) => p.requestId), ['a']);
  });

  it('keeps connection, queue, review, sessions and errors', () => {
    const model = emptyModel();
    applyHostMessage(model, { type: 'connection', state: 'reconnecting', detail: 'closed' });
    applyHostMessage(model, { type: 'queue', queued: ['q'] });
    applyHostMessage(model, { type: 'review', review: { files: [], unreportedRejections: 2 } });
    applyHostMessage(model, { type: 'sessions', sessions: [{ sessionId: 's', cwd: '/w' }] });
    applyHostMessage(model, { type: 'error', message: 'boom' });
    assert.deepEqual([model.connection, model.connectionDetail, model.queued, model.review.unreportedRejections, model.sessions.length, model.error], ['reconnecting', 'closed', ['q'], 2, 1, 'boom']);
  });
});

describe('saved snapshot', () => {
  it('folds back into the same transcript from far fewer updates', () => {
    const original = new Transcript();
    const chunks = 'Streaming a long answer word by word'.split(' ').map((word) => ({ sessionUpdate: 'agent_message_chunk' as const, content: { type: 'text' as const, text: `${word} ` } }));
    for (const u of [
      { sessionUpdate: 'user_message_chunk' as const, content: { type: 'text' as const, text: 'one' } },
      { sessionUpdate: 'session_info_update' as const, _meta: { tether: { turn: { state: 'idle' } } } },
      { sessionUpdate: 'user_message_chunk' as const, content: { type: 'text' as const, text: 'two' } },
      ...chunks,
      { sessionUpdate: 'tool_call' as const, toolCallId: 'c', title: 'Read', kind: 'read' as const, rawInput: { path: 'a' } },
      { sessionUpdate: 'tool_call_update' as const, toolCallId: 'c', status: 'completed' as const },
      { sessionUpdate: 'plan' as const, entries: [{ content: 'p', priority: 'high' as const, status: 'pending' as const }] },
      { sessionUpdate: 'session_info_update' as const, title: 'T' },
      { sessionUpdate: 'usage_update' as const, used: 5, size: 10, _meta: { tether: { totals: { bytesSent: 1, statelessBytes: 3, inputTokens: 4, outputTokens: 2 } } } },
    ]) original.apply(u);
    const compact = compactUpdates(original);
    assert.ok(compact.length < 12);
    const again = new Transcript();
    for (const u of compact) again.apply(u);
    const strip = (t: Transcript) => t.entries.map(({ id: _id, version: _version, ...rest }) => rest);
    assert.deepEqual(strip(again), strip(original));
    assert.deepEqual([again.plan, again.title, again.usage], [original.plan, original.title, original.usage]);
  });
});
