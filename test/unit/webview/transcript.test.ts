import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionUpdate } from '@agentclientprotocol/sdk';
import { Transcript, type MessageEntry, type ToolEntry } from '../../../extension/webview/transcript';

const text = (t: string) => ({ type: 'text' as const, text: t });
const agent = (t: string, messageId?: string): SessionUpdate => ({ sessionUpdate: 'agent_message_chunk', content: text(t), messageId });
const user = (t: string): SessionUpdate => ({ sessionUpdate: 'user_message_chunk', content: text(t) });
const thought = (t: string): SessionUpdate => ({ sessionUpdate: 'agent_thought_chunk', content: text(t) });
const turn = (state: 'running' | 'idle'): SessionUpdate => ({ sessionUpdate: 'session_info_update', _meta: { tether: { turn: { state, turnId: 't' } } } });

function fold(updates: SessionUpdate[]): Transcript {
  const transcript = new Transcript();
  for (const update of updates) transcript.apply(update);
  return transcript;
}

const messages = (transcript: Transcript) => transcript.entries.map((entry) => `${(entry as MessageEntry).role}:${(entry as MessageEntry).text}`);

describe('transcript: message chunks', () => {
  it('joins consecutive chunks of one kind and splits when the kind changes', () => {
    const transcript = fold([user('hel'), user('lo'), thought('hm'), thought('m'), agent('Hi'), agent(' there'), agent('!')]);
    assert.deepEqual(messages(transcript), ['user:hello', 'thought:hmm', 'agent:Hi there!']);
  });

  it('bumps the version of the growing message only', () => {
    const transcript = fold([user('q'), agent('a')]);
    const [first, second] = transcript.entries;
    const versions = [first!.version, second!.version];
    transcript.apply(agent('b'));
    assert.equal(first!.version, versions[0]);
    assert.equal(second!.version, versions[1]! + 1);
    assert.equal(transcript.entries.length, 2);
  });

  it('starts a new message when the messageId changes', () => {
    const transcript = fold([agent('one', 'm1'), agent(' more', 'm1'), agent('two', 'm2')]);
    assert.deepEqual(messages(transcript), ['agent:one more', 'agent:two']);
  });

  it('keeps two prompts apart when a turn boundary lies between them', () => {
    const transcript = fold([user('first'), turn('running'), turn('idle'), user('second')]);
    assert.deepEqual(messages(transcript), ['user:first', 'user:second']);
  });

  it('a tool call between two agent chunks makes two messages', () => {
    const transcript = fold([agent('before'), { sessionUpdate: 'tool_call', toolCallId: 'c', title: 'Read' }, agent('after')]);
    assert.deepEqual(transcript.entries.map((entry) => entry.type), ['message', 'tool', 'message']);
  });

  it('shows non-text blocks as short stand-ins', () => {
    const transcript = fold([
      { sessionUpdate: 'user_message_chunk', content: { type: 'resource_link', name: 'a.ts', uri: 'file:///w/a.ts' } },
      { sessionUpdate: 'agent_message_chunk', content: { type: 'image', data: '', mimeType: 'image/png' } },
    ]);
    assert.deepEqual(messages(transcript), ['user:@a.ts', 'agent:[image]']);
  });
});

describe('transcript: tool calls', () => {
  it('merges updates by toolCallId, keeping fields an update leaves out', () => {
    const transcript = fold([
      { sessionUpdate: 'tool_call', toolCallId: 'c1', title: 'Run tests', kind: 'execute', status: 'pending', rawInput: { command: 'npm test' }, locations: [{ path: '/w/a.ts', line: 3 }] },
      { sessionUpdate: 'tool_call_update', toolCallId: 'c1', status: 'in_progress' },
      { sessionUpdate: 'tool_call_update', toolCallId: 'c1', status: 'completed', content: [{ type: 'content', content: text('ok') }], rawOutput: { exitCode: 0 } },
    ]);
    assert.equal(transcript.entries.length, 1);
    const tool = transcript.entries[0] as ToolEntry;
    assert.equal(tool.title, 'Run tests');
    assert.equal(tool.kind, 'execute');
    assert.equal(tool.status, 'completed');
    assert.deepEqual(tool.rawInput, { command: 'npm test' });
    assert.deepEqual(tool.rawOutput, { exitCode: 0 });
    assert.deepEqual(tool.locations, [{ path: '/w/a.ts', line: 3 }]);
    assert.deepEqual(tool.content, [{ type: 'content', content: text('ok') }]);
    assert.equal(tool.version, 3, 'each update is a new version');
  });

  it('replaces content wholesale, diffs and terminals included', () => {
    const diff = { type: 'diff' as const, path: '/w/a.ts', oldText: 'a\n', newText: 'b\n' };
    const transcript = fold([
      { sessionUpdate: 'tool_call', toolCallId: 'e', title: 'Edit a.ts', kind: 'edit', content: [{ type: 'terminal', terminalId: 't1' }] },
      { sessionUpdate: 'tool_call_update', toolCallId: 'e', content: [diff] },
    ]);
    assert.deepEqual((transcript.entries[0] as ToolEntry).content, [diff]);
  });

  it('an update for an unknown call creates its card, and two calls stay apart', () => {
    const transcript = fold([
      { sessionUpdate: 'tool_call_update', toolCallId: 'x', status: 'failed' },
      { sessionUpdate: 'tool_call', toolCallId: 'y', title: 'Search', kind: 'search' },
      { sessionUpdate: 'tool_call_update', toolCallId: 'x', title: 'Late title' },
    ]);
    const [x, y] = transcript.entries as ToolEntry[];
    assert.deepEqual([x!.toolCallId, x!.title, x!.status, x!.kind], ['x', 'Late title', 'failed', 'other']);
    assert.deepEqual([y!.toolCallId, y!.status], ['y', 'pending']);
  });
});

describe('transcript: session state', () => {
  it('replaces the plan whole', () => {
    const transcript = fold([
      { sessionUpdate: 'plan', entries: [{ content: 'a', priority: 'high', status: 'pending' }, { content: 'b', priority: 'low', status: 'pending' }] },
    ]);
    assert.equal(transcript.apply({ sessionUpdate: 'plan', entries: [{ content: 'c', priority: 'medium', status: 'in_progress' }] }), 'plan');
    assert.deepEqual(transcript.plan, [{ content: 'c', priority: 'medium', status: 'in_progress' }]);
  });

  it('reads usage with Tether totals from _meta', () => {
    const transcript = fold([
      {
        sessionUpdate: 'usage_update',
        used: 24_000,
        size: 200_000,
        cost: { amount: 0.12, currency: 'USD' },
        _meta: { tether: { totals: { modelCalls: 5, bytesSent: 36_000, wireBytesSent: 9_000, statelessBytes: 120_000, inputTokens: 12_000, cachedInputTokens: 3_000, outputTokens: 3_200 } } },
      },
    ]);
    assert.deepEqual(transcript.usage, {
      used: 24_000,
      size: 200_000,
      cost: { amount: 0.12, currency: 'USD' },
      sentBytes: 36_000,
      statelessBytes: 120_000,
      inputTokens: 12_000,
      cachedInputTokens: 3_000,
      outputTokens: 3_200,
      modelCalls: 5,
    });
  });

  it('usage without totals keeps only what ACP itself says', () => {
    const transcript = fold([{ sessionUpdate: 'usage_update', used: 10, size: 100 }]);
    assert.equal(transcript.usage.used, 10);
    assert.equal(transcript.usage.sentBytes, undefined);
  });

  it('keeps the title, the latest config options, the mode and the turn state', () => {
    const options = [{ id: 'mode', name: 'Mode', type: 'select' as const, currentValue: 'plan', options: [{ value: 'plan', name: 'Plan' }] }];
    const transcript = fold([
      { sessionUpdate: 'session_info_update', title: 'Greetings' },
      { sessionUpdate: 'config_option_update', configOptions: [] },
      { sessionUpdate: 'config_option_update', configOptions: options },
      { sessionUpdate: 'current_mode_update', currentModeId: 'plan' },
      turn('running'),
    ]);
    assert.equal(transcript.title, 'Greetings');
    assert.deepEqual(transcript.configOptions, options);
    assert.equal(transcript.currentModeId, 'plan');
    assert.equal(transcript.running, true);
    transcript.apply(turn('idle'));
    assert.equal(transcript.running, false);
    assert.equal(transcript.title, 'Greetings', 'a turn marker leaves the title alone');
  });

  it('keeps the available commands and ignores what it does not know', () => {
    const transcript = new Transcript();
    assert.equal(transcript.apply({ sessionUpdate: 'available_commands_update', availableCommands: [{ name: 'init', description: 'Set up' }] }), 'commands');
    assert.equal(transcript.commands[0]?.name, 'init');
    assert.equal(transcript.apply({ sessionUpdate: 'something_new' } as unknown as SessionUpdate), 'none');
    assert.equal(transcript.entries.length, 0);
  });

  it('shows notices, and a compaction as one entry updated in place', () => {
    const transcript = fold([
      { sessionUpdate: 'notice', severity: 'warning', title: 'Rate limited', description: 'retrying' },
      { sessionUpdate: 'compaction_update', compactionId: 'k', status: 'in_progress' },
      { sessionUpdate: 'compaction_update', compactionId: 'k', status: 'completed' },
    ]);
    assert.deepEqual(
      transcript.entries.map((entry) => entry.type === 'notice' && [entry.severity, entry.title]),
      [['warning', 'Rate limited'], ['info', 'Conversation compacted']],
    );
  });
});
