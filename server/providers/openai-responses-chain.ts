// Decides whether a request may go out as a continuation of the previous response on the
// same WebSocket: `previous_response_id` plus only the items that are new since then.
import type { RequestParts, ResponsesItem } from './openai-responses-request';

/** What a conversation remembers of its last completed response. */
export interface ChainState {
  /** Serialized settings (model, instructions, tools, …) of the request that produced it. */
  settingsJson: string;
  /** That request's input followed by the response's output, as a full request would carry them. */
  historyJson: string[];
  responseId: string;
}

export interface RequestPlan {
  /** Items to send: everything for a full request, only the new ones for a continuation. */
  input: ResponsesItem[];
  previousResponseId?: string;
}

export function planRequest(chain: ChainState | undefined, parts: RequestParts): RequestPlan {
  const full: RequestPlan = { input: parts.input };
  // The server applies the new request's settings to the whole context; any change means the
  // cached prefix was built under different settings, so send everything.
  if (!chain || chain.settingsJson !== parts.settingsJson) return full;
  const known = chain.historyJson.length;
  if (parts.inputJson.length <= known) return full;
  for (let i = 0; i < known; i++) if (parts.inputJson[i] !== chain.historyJson[i]) return full;
  return { input: parts.input.slice(known), previousResponseId: chain.responseId };
}

/** The chain after a completed response: its request's input plus its output. */
export function nextChain(parts: RequestParts, outputJson: string[], responseId: string): ChainState {
  return { settingsJson: parts.settingsJson, historyJson: [...parts.inputJson, ...outputJson], responseId };
}
