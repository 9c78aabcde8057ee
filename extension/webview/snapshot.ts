// A compact stand-in for a session's updates: one update per message and tool call instead of
// thousands of chunks. The panel saves it with vscode.setState so a re-shown panel draws at
// once; the host's `reset` then replaces it. Pure: no DOM.
import type { SessionUpdate } from '@agentclientprotocol/sdk';
import type { Entry, Transcript } from './transcript';

const KINDS = { user: 'user_message_chunk', agent: 'agent_message_chunk', thought: 'agent_thought_chunk' } as const;
/** Turn markers between entries keep two user messages in a row apart when folded again. */
const TURN_BREAK: SessionUpdate = { sessionUpdate: 'session_info_update', _meta: { tether: { turn: { state: 'idle' } } } };

function entryUpdate(entry: Entry): SessionUpdate {
  switch (entry.type) {
    case 'message':
      return { sessionUpdate: KINDS[entry.role], content: { type: 'text', text: entry.text }, messageId: entry.messageId };
    case 'tool':
      return {
        sessionUpdate: 'tool_call',
        toolCallId: entry.toolCallId,
        title: entry.title,
        kind: entry.kind,
        status: entry.status,
        content: entry.content,
        locations: entry.locations,
        rawInput: entry.rawInput,
        rawOutput: entry.rawOutput,
      };
    case 'notice':
      return { sessionUpdate: 'notice', severity: entry.severity, title: entry.title, description: entry.description };
  }
}

/** Updates that fold into the same transcript; only the last `maxEntries` entries are kept. */
export function compactUpdates(transcript: Transcript, maxEntries = 200): SessionUpdate[] {
  const updates: SessionUpdate[] = [];
  let previous: Entry | undefined;
  for (const entry of transcript.entries.slice(-maxEntries)) {
    if (previous?.type === 'message' && entry.type === 'message' && previous.role === entry.role) updates.push(TURN_BREAK);
    updates.push(entryUpdate(entry));
    previous = entry;
  }
  if (transcript.plan.length > 0) updates.push({ sessionUpdate: 'plan', entries: transcript.plan });
  if (transcript.title !== undefined) updates.push({ sessionUpdate: 'session_info_update', title: transcript.title });
  if (transcript.configOptions) updates.push({ sessionUpdate: 'config_option_update', configOptions: transcript.configOptions });
  if (transcript.commands.length > 0) updates.push({ sessionUpdate: 'available_commands_update', availableCommands: transcript.commands });
  const { usage } = transcript;
  if (usage.used !== undefined || usage.sentBytes !== undefined) {
    const totals = { bytesSent: usage.sentBytes, statelessBytes: usage.statelessBytes, inputTokens: usage.inputTokens, cachedInputTokens: usage.cachedInputTokens, outputTokens: usage.outputTokens, modelCalls: usage.modelCalls };
    updates.push({ sessionUpdate: 'usage_update', used: usage.used ?? 0, size: usage.size ?? 0, cost: usage.cost, _meta: { tether: { totals } } });
  }
  return updates;
}
