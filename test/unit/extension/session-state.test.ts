import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionNotification, SessionUpdate } from '@agentclientprotocol/sdk';
import { SessionState } from '../../../extension/session/session-state';

const note = (update: SessionUpdate, seq?: number): SessionNotification => ({ sessionId: 's', update, ...(seq ? { _meta: { tether: { seq } } } : {}) });
const text = (kind: 'agent_message_chunk' | 'user_message_chunk', value: string): SessionUpdate => ({ sessionUpdate: kind, content: { type: 'text', text: value } });

describe('SessionState', () => {
  it('drops updates whose seq it already holds, so a replay after reattach never doubles', () => {
    const state = new SessionState('s', '/w');
    assert.equal(state.apply(note(text('agent_message_chunk', 'a'), 1)), true);
    assert.equal(state.apply(note(text('agent_message_chunk', 'b'), 2)), true);
    assert.equal(state.apply(note(text('agent_message_chunk', 'b'), 2)), false);
    assert.equal(state.apply(note(text('agent_message_chunk', 'a'), 1)), false);
    assert.equal(state.apply(note(text('agent_message_chunk', 'c'), 3)), true);
    assert.equal(state.updates.length, 3);
    assert.equal(state.lastSeq, 3);
  });

  it('follows the server turn markers and this window\'s prompts for running', () => {
    const state = new SessionState('s', '/w');
    assert.equal(state.running, false);
    state.apply(note({ sessionUpdate: 'session_info_update', _meta: { tether: { turn: { state: 'running', turnId: 't' } } } }, 1));
    assert.equal(state.running, true);
    state.apply(note({ sessionUpdate: 'session_info_update', title: 'Fix it', _meta: { tether: { turn: { state: 'idle', turnId: 't', stopReason: 'end_turn' } } } }, 2));
    assert.equal(state.running, false);
    assert.equal(state.title, 'Fix it');
    state.promptsInFlight = 1;
    assert.equal(state.view().running, true);
  });

  it('a queued prompt leaves the queue when the server starts it', () => {
    const state = new SessionState('s', '/w');
    state.queued.push('second', 'third');
    state.apply(note(text('user_message_chunk', 'second'), 1));
    assert.deepEqual(state.queued, ['third']);
  });

  it('keeps the latest config options and mode', () => {
    const state = new SessionState('s', '/w');
    const configOptions = [{ id: 'mode', name: 'Mode', type: 'select' as const, currentValue: 'plan', options: [{ value: 'plan', name: 'Plan' }] }];
    state.apply(note({ sessionUpdate: 'config_option_update', configOptions }, 1));
    assert.equal(state.view().currentModeId, 'plan');
    state.apply(note({ sessionUpdate: 'current_mode_update', currentModeId: 'default' }, 2));
    assert.equal(state.view().currentModeId, 'default');
    state.clearUpdates();
    assert.equal(state.updates.length, 0);
    assert.equal(state.lastSeq, 0);
  });
});
