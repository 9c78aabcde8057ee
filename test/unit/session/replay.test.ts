import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionUpdate } from '@agentclientprotocol/sdk';
import type { LogRecord } from '../../../server/session/records';
import { INTERRUPTED_TOOL_TEXT, interruptionRecords, rebuildSession } from '../../../server/session/replay';
import { turnMarker } from '../../../server/session/turn-updates';
import { agentText, header, update } from './helpers';

const NOW = new Date('2024-05-01T12:00:00.000Z');

function chunk(kind: 'agent_thought_chunk' | 'user_message_chunk', text: string): SessionUpdate {
  return { sessionUpdate: kind, content: { type: 'text', text } };
}

function texts(records: LogRecord[]): Array<[number, string, string]> {
  return rebuildSession(records).updates.map(({ seq, update: u }) => [seq, u.sessionUpdate, 'content' in u && u.content && 'text' in u.content ? String(u.content.text) : '']);
}

describe('rebuildSession', () => {
  it('coalesces consecutive text chunks of the same kind and message, and nothing else', () => {
    const image: SessionUpdate = { sessionUpdate: 'user_message_chunk', content: { type: 'image', mimeType: 'image/png', data: 'AA==' } };
    const records: LogRecord[] = [
      header(),
      { t: 'turn_start', turnId: 't1', at: 'a' },
      update(1, chunk('user_message_chunk', 'look ')),
      update(2, chunk('user_message_chunk', 'here')),
      update(3, image),
      update(4, chunk('user_message_chunk', 'after image')),
      update(5, chunk('agent_thought_chunk', 'think ')),
      update(6, chunk('agent_thought_chunk', 'hard')),
      update(7, agentText('Hel', 'm1')),
      { t: 'history', item: { type: 'user', parts: [] } }, // other records between chunks do not split a message
      update(8, agentText('lo', 'm1')),
      update(9, agentText('New', 'm2')),
      update(10, { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: '!', annotations: { priority: 1 } }, messageId: 'm2' }),
      update(11, agentText(' end')),
      { t: 'turn_end', turnId: 't1', at: 'b', stopReason: 'end_turn' },
      { t: 'turn_start', turnId: 't2', at: 'c' },
      update(12, agentText(' next turn')),
    ];
    assert.deepEqual(texts(records), [
      [2, 'user_message_chunk', 'look here'],
      [3, 'user_message_chunk', ''],
      [4, 'user_message_chunk', 'after image'],
      [6, 'agent_thought_chunk', 'think hard'],
      [8, 'agent_message_chunk', 'Hello'],
      [9, 'agent_message_chunk', 'New'],
      [10, 'agent_message_chunk', '!'],
      [11, 'agent_message_chunk', ' end'],
      [12, 'agent_message_chunk', ' next turn'],
    ]);
    const merged = rebuildSession(records).updates[4]?.update;
    assert.deepEqual(merged, { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'Hello' }, messageId: 'm1' });
    assert.deepEqual(records[8], update(7, agentText('Hel', 'm1')), 'input records are not mutated');
  });

  it('restores history, last-wins settings, rules per scope and the last seq', () => {
    const rebuilt = rebuildSession([
      header(),
      { t: 'settings', at: 'a', mode: 'default', model: 'm-1' },
      { t: 'settings', at: 'b', title: 'Fix the bug' },
      { t: 'settings', at: 'c', model: 'm-2' },
      { t: 'rule', at: 'd', scope: 'edit', decision: 'allow' },
      { t: 'rule', at: 'e', scope: 'shell:rm -rf /', decision: 'reject' },
      { t: 'rule', at: 'f', scope: 'edit', decision: 'reject' },
      { t: 'history', item: { type: 'user', parts: [{ type: 'text', text: 'hi' }] } },
      { t: 'history', item: { type: 'assistant', text: 'hello', toolCalls: [] } },
      update(1, agentText('hello')),
      update(2, { sessionUpdate: 'current_mode_update', currentModeId: 'plan' }),
    ]);
    assert.equal(rebuilt.header.sessionId, 'sess-1');
    assert.deepEqual([rebuilt.mode, rebuilt.model, rebuilt.title], ['default', 'm-2', 'Fix the bug']);
    assert.deepEqual(rebuilt.rules, [
      { scope: 'shell:rm -rf /', decision: 'reject' },
      { scope: 'edit', decision: 'reject' },
    ]);
    assert.equal(rebuilt.history.length, 2);
    assert.equal(rebuilt.lastSeq, 2);
    assert.equal(rebuilt.openTurn, false);
    assert.deepEqual(rebuilt.openToolCalls, []);
    assert.deepEqual(interruptionRecords(rebuilt, NOW), []);
  });

  it('leaves turn markers out of the replay but counts their seqs', () => {
    const rebuilt = rebuildSession([
      header(),
      { t: 'turn_start', turnId: 't1', at: 'a' },
      update(1, turnMarker({ state: 'running', turnId: 't1' })),
      update(2, agentText('done')),
      update(3, turnMarker({ state: 'idle', turnId: 't1', stopReason: 'end_turn' })),
      { t: 'turn_end', turnId: 't1', at: 'b', stopReason: 'end_turn' },
      update(4, { sessionUpdate: 'session_info_update', title: 'Kept' }),
    ]);
    assert.deepEqual(rebuilt.updates.map((u) => u.seq), [2, 4], 'a title update is not a marker');
    assert.equal(rebuilt.lastSeq, 4);
  });

  it('refuses records without a header', () => {
    assert.throws(() => rebuildSession([]), /does not start with a session header/);
    assert.throws(() => rebuildSession([update(1, agentText('x'))]), /does not start with a session header/);
  });
});

describe('interruptionRecords', () => {
  const shown = [{ type: 'content' as const, content: { type: 'text' as const, text: 'partial output' } }];
  const crashed: LogRecord[] = [
    header(),
    { t: 'turn_start', turnId: 't1', at: 'a' },
    { t: 'history', item: { type: 'assistant', text: '', toolCalls: [
      { id: 'c1', name: 'read', argumentsJson: '{}' },
      { id: 'c2', name: 'shell', argumentsJson: '{}' },
      { id: 'c3', name: 'edit', argumentsJson: '{}' },
    ] } },
    update(1, { sessionUpdate: 'tool_call', toolCallId: 'c1', title: 'Read', status: 'pending' }),
    update(2, { sessionUpdate: 'tool_call', toolCallId: 'c2', title: 'Shell' }),
    update(3, { sessionUpdate: 'tool_call', toolCallId: 'c3', title: 'Edit', status: 'pending' }),
    update(4, { sessionUpdate: 'tool_call_update', toolCallId: 'c1', status: 'completed' }),
    { t: 'history', item: { type: 'tool_result', callId: 'c1', name: 'read', output: 'ok', isError: false } },
    update(5, { sessionUpdate: 'tool_call_update', toolCallId: 'c2', status: 'in_progress', content: shown }),
    update(6, { sessionUpdate: 'tool_call_update', toolCallId: 'c2', title: 'Shell: npm test' }),
  ];

  it('fails open tool calls, answers unanswered ones and ends the open turn, continuing seq', () => {
    const rebuilt = rebuildSession(crashed);
    assert.equal(rebuilt.openTurn, true);
    assert.equal(rebuilt.openTurnId, 't1');
    assert.deepEqual(rebuilt.openToolCalls, ['c2', 'c3']);
    assert.deepEqual(rebuilt.toolCalls.get('c2'), { status: 'in_progress', content: shown });

    const notice = { type: 'content', content: { type: 'text', text: INTERRUPTED_TOOL_TEXT } };
    const records = interruptionRecords(rebuilt, NOW);
    assert.deepEqual(records.slice(0, 2), [
      { t: 'update', seq: 7, at: NOW.toISOString(), update: { sessionUpdate: 'tool_call_update', toolCallId: 'c2', status: 'failed', content: [...shown, notice] } },
      { t: 'update', seq: 8, at: NOW.toISOString(), update: { sessionUpdate: 'tool_call_update', toolCallId: 'c3', status: 'failed', content: [notice] } },
    ]);
    const results = records.slice(2, 4).map((record) => (record.t === 'history' ? record.item : undefined));
    assert.deepEqual(results.map((item) => item?.type === 'tool_result' && [item.callId, item.name, item.isError, /interrupted/i.test(item.output)]), [
      ['c2', 'shell', true, true],
      ['c3', 'edit', true, true],
    ]);
    // The logged "running" marker gets its idle counterpart, so a reattach ends idle.
    assert.deepEqual(records[4], { t: 'update', seq: 9, at: NOW.toISOString(), update: turnMarker({ state: 'idle', turnId: 't1', stopReason: 'interrupted' }) });
    assert.deepEqual(records[5], { t: 'turn_end', turnId: 't1', at: NOW.toISOString(), stopReason: 'interrupted' });
    assert.equal(records.length, 6);
  });

  it('leaves a session that needs no further repair once appended', () => {
    const repaired = rebuildSession([...crashed, ...interruptionRecords(rebuildSession(crashed), NOW)]);
    assert.equal(repaired.openTurn, false);
    assert.deepEqual(repaired.openToolCalls, []);
    assert.deepEqual(repaired.unansweredToolCalls, []);
    assert.equal(repaired.lastSeq, 9);
    assert.deepEqual(interruptionRecords(repaired, NOW), []);
  });

  it('ends an open turn that had no tool calls', () => {
    const records = interruptionRecords(rebuildSession([header(), { t: 'turn_start', turnId: 'only', at: 'a' }, update(1, agentText('par'))]), NOW);
    assert.deepEqual(records, [
      { t: 'update', seq: 2, at: NOW.toISOString(), update: turnMarker({ state: 'idle', turnId: 'only', stopReason: 'interrupted' }) },
      { t: 'turn_end', turnId: 'only', at: NOW.toISOString(), stopReason: 'interrupted' },
    ]);
  });
});
