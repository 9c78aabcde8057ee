// Turns loop events into the ACP updates clients see. Pure functions: no I/O.
import type { SessionUpdate, ToolCallContent } from '@agentclientprotocol/sdk';
import type { LoopEvent } from '../loop/events';
import type { ToolDisplay } from '../tools/types';

/** A tool's own display text (command output) is shown up to this many characters. */
const CARD_OUTPUT_LIMIT = 2000;
/** Raw output of a tool without a display (search results, errors) is previewed more briefly. */
const PREVIEW_LINES = 12;
const PREVIEW_CHARS = 1000;

function clip(text: string): string {
  return text.length <= CARD_OUTPUT_LIMIT ? text : `${text.slice(0, CARD_OUTPUT_LIMIT)}\n[... ${text.length - CARD_OUTPUT_LIMIT} more characters]`;
}

/** The first lines of a result: enough to see what was found; the model still gets it all. */
function preview(text: string): string {
  const lines = text.split('\n');
  let shown = lines.slice(0, PREVIEW_LINES).join('\n');
  if (shown.length > PREVIEW_CHARS) shown = shown.slice(0, PREVIEW_CHARS);
  const hiddenLines = lines.length - shown.split('\n').length;
  return hiddenLines > 0 ? `${shown}\n[... ${hiddenLines} more lines]` : shown;
}

function toContent(display: ToolDisplay): ToolCallContent {
  switch (display.type) {
    case 'text':
      return { type: 'content', content: { type: 'text', text: clip(display.text) } };
    case 'diff':
      return { type: 'diff', path: display.path, oldText: display.oldText, newText: display.newText };
    case 'terminal':
      return { type: 'terminal', terminalId: display.terminalId };
  }
}

/** The update for a loop event, or undefined for events that are not shown (history, accounting). */
export function updateForEvent(event: LoopEvent): SessionUpdate | undefined {
  switch (event.type) {
    case 'text_delta':
      return { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: event.text } };
    case 'thinking_delta':
      return { sessionUpdate: 'agent_thought_chunk', content: { type: 'text', text: event.text } };
    case 'tool_call':
      return {
        sessionUpdate: 'tool_call',
        toolCallId: event.callId,
        title: event.title,
        kind: event.kind,
        status: 'pending',
        rawInput: event.rawInput,
        locations: event.locations,
      };
    case 'tool_running':
      return { sessionUpdate: 'tool_call_update', toolCallId: event.callId, status: 'in_progress' };
    case 'tool_done': {
      const content = event.display?.length ? event.display.map(toContent) : [toContent({ type: 'text', text: preview(event.output) })];
      const update: SessionUpdate = { sessionUpdate: 'tool_call_update', toolCallId: event.callId, status: event.ok ? 'completed' : 'failed', content };
      if (event.locations?.length) update.locations = event.locations;
      return update;
    }
    default:
      return undefined;
  }
}

/**
 * Turn boundaries for watchers (other clients, a reattaching window): a session_info_update
 * carrying `_meta.tether.turn`. It describes live state, not the conversation, so replay
 * leaves it out (see isTurnMarker).
 */
export interface TurnState {
  state: 'running' | 'idle';
  turnId: string;
  stopReason?: string;
}

export function turnMarker(turn: TurnState): SessionUpdate {
  return { sessionUpdate: 'session_info_update', _meta: { tether: { turn } } };
}

export function isTurnMarker(update: SessionUpdate | undefined): boolean {
  if (update?.sessionUpdate !== 'session_info_update') return false;
  return (update._meta as { tether?: { turn?: unknown } } | undefined)?.tether?.turn !== undefined;
}
