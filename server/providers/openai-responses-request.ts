// Builds OpenAI Responses requests from neutral history items. Objects are built with a
// fixed key order so equal requests serialize to equal bytes: the WebSocket chain compares
// serialized fields to decide whether a request may be sent as a continuation.
import type { HistoryItem, UserPart } from '../loop/items';
import type { ModelRequest, ToolSchema } from './types';

/** One Responses input (or output) item; its shape belongs to the wire format. */
export type ResponsesItem = Record<string, unknown>;

/** What the provider stores on an assistant item: the model's own output items, verbatim. */
export interface ResponsesProviderData {
  kind: 'openai-responses';
  output: ResponsesItem[];
}

export interface RequestParts {
  /** Every top-level field except `input` (and transport fields), in a fixed order. */
  settings: Record<string, unknown>;
  /** JSON of `settings`: two requests may chain only when these are byte-identical. */
  settingsJson: string;
  input: ResponsesItem[];
  /** JSON of each input item, for comparing histories item by item. */
  inputJson: string[];
}

export interface BuildOptions {
  /** Ask for encrypted reasoning so stateless requests can carry it. Non-reasoning models reject this. */
  encryptedReasoning: boolean;
}

export function requestParts(request: ModelRequest, options: BuildOptions): RequestParts {
  const settings: Record<string, unknown> = { model: request.model, instructions: request.instructions };
  if (request.tools.length > 0) {
    settings.tools = request.tools.map(toolDefinition);
    settings.tool_choice = 'auto';
  }
  settings.store = false;
  if (options.encryptedReasoning) settings.include = ['reasoning.encrypted_content'];
  if (request.maxOutputTokens !== undefined) settings.max_output_tokens = request.maxOutputTokens;
  const input = toInputItems(request.items);
  return { settings, settingsJson: JSON.stringify(settings), input, inputJson: input.map((item) => JSON.stringify(item)) };
}

/** Body of a stateless `POST /responses`: the whole history every time. */
export function httpBody(parts: RequestParts): string {
  return JSON.stringify({ ...parts.settings, input: parts.input, stream: true });
}

/** A `response.create` message; `input` holds only the new items when chained. */
export function socketMessage(parts: RequestParts, input: ResponsesItem[], previousResponseId?: string): string {
  const message: Record<string, unknown> = { type: 'response.create', ...parts.settings };
  if (previousResponseId) message.previous_response_id = previousResponseId;
  message.input = input;
  return JSON.stringify(message);
}

/** Heuristic for `encryptedReasoning: 'auto'`: o-series, gpt-5 and codex models reason; chat variants do not. */
export function isReasoningModel(model: string): boolean {
  const name = model.toLowerCase().split('/').pop() ?? '';
  return /^(o\d|gpt-5|codex)/.test(name) && !name.includes('-chat');
}

export function toInputItems(items: HistoryItem[]): ResponsesItem[] {
  const input: ResponsesItem[] = [];
  for (const item of items) {
    switch (item.type) {
      case 'user':
        input.push({ type: 'message', role: 'user', content: item.parts.map(userPart) });
        break;
      case 'assistant':
        input.push(...assistantItems(item));
        break;
      case 'tool_result':
        // The Responses API has no error flag on outputs, so the model learns it from the text.
        input.push({ type: 'function_call_output', call_id: item.callId, output: item.isError ? `Error: ${item.output}` : item.output });
        break;
    }
  }
  return input;
}

type AssistantItem = Extract<HistoryItem, { type: 'assistant' }>;

function assistantItems(item: AssistantItem): ResponsesItem[] {
  const stored = storedOutput(item.providerData);
  if (stored) return stored.flatMap(replayItem);
  const rebuilt: ResponsesItem[] = [];
  if (item.text) rebuilt.push({ type: 'message', role: 'assistant', content: item.text });
  for (const call of item.toolCalls) {
    rebuilt.push({ type: 'function_call', call_id: call.id, name: call.name, arguments: call.argumentsJson });
  }
  return rebuilt;
}

/** The output items this provider stored on an assistant item, or undefined for anything else. */
export function storedOutput(data: unknown): ResponsesItem[] | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const candidate = data as Partial<ResponsesProviderData>;
  if (candidate.kind !== 'openai-responses' || !Array.isArray(candidate.output)) return undefined;
  return candidate.output.filter((item): item is ResponsesItem => !!item && typeof item === 'object');
}

/**
 * An output item as it goes back in a stateless (`store:false`) request. Server-side ids and
 * statuses are dropped: the server kept nothing, so an id would be looked up and not found.
 * Reasoning without encrypted content cannot be replayed at all for the same reason.
 */
export function replayItem(item: ResponsesItem): ResponsesItem[] {
  if (item.type === 'reasoning' && typeof item.encrypted_content !== 'string') return [];
  const copy: ResponsesItem = {};
  for (const [key, value] of Object.entries(item)) if (key !== 'id' && key !== 'status') copy[key] = value;
  return [copy];
}

function userPart(part: UserPart): ResponsesItem {
  switch (part.type) {
    case 'text':
      return { type: 'input_text', text: part.text };
    case 'image':
      return { type: 'input_image', image_url: `data:${part.mimeType};base64,${part.data}`, detail: 'auto' };
    case 'resource': {
      const trailer = part.text.endsWith('\n') ? '' : '\n';
      return { type: 'input_text', text: `<file uri="${part.uri}">\n${part.text}${trailer}</file>` };
    }
  }
}

function toolDefinition(tool: ToolSchema): ResponsesItem {
  // strict:false: our schemas are not written to the strict subset (all-required, no extra keys).
  return { type: 'function', name: tool.name, description: tool.description, parameters: tool.parameters, strict: false };
}
