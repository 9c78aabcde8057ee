// Builds the Chat Completions request body from neutral history items.
// Keys are written in a fixed order so the same request always serializes to the same
// bytes, which keeps server-side prefix caches (OpenAI, llama.cpp, vLLM) warm.
import type { HistoryItem, UserPart } from '../loop/items';
import type { ModelRequest, ToolSchema } from './types';

type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ContentPart[] }
  | { role: 'assistant'; content: string | null; tool_calls?: ChatToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

/** Serialized JSON body of a streaming chat completion request. */
export function buildChatRequestBody(request: ModelRequest): string {
  const body: Record<string, unknown> = {
    model: request.model,
    messages: buildMessages(request.instructions, request.items),
  };
  if (request.tools.length > 0) body.tools = request.tools.map(toolDefinition);
  body.stream = true;
  body.stream_options = { include_usage: true };
  if (request.maxOutputTokens !== undefined) body.max_tokens = request.maxOutputTokens;
  return JSON.stringify(body);
}

export function buildMessages(instructions: string, items: HistoryItem[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (instructions) messages.push({ role: 'system', content: instructions });
  for (const item of items) messages.push(toMessage(item));
  return messages;
}

function toMessage(item: HistoryItem): ChatMessage {
  switch (item.type) {
    case 'user':
      return { role: 'user', content: userContent(item.parts) };
    case 'assistant': {
      // OpenAI rejects an empty tool_calls array, and content may be null only beside tool calls.
      if (item.toolCalls.length === 0) return { role: 'assistant', content: item.text };
      return {
        role: 'assistant',
        content: item.text === '' ? null : item.text,
        tool_calls: item.toolCalls.map((call) => ({
          id: call.id,
          type: 'function' as const,
          function: { name: call.name, arguments: call.argumentsJson },
        })),
      };
    }
    case 'tool_result':
      // Chat Completions has no error flag on tool messages, so the model learns it from the text.
      return { role: 'tool', tool_call_id: item.callId, content: item.isError ? `Error: ${item.output}` : item.output };
  }
}

function userContent(parts: UserPart[]): string | ContentPart[] {
  // A lone text part goes as a plain string: every compatible server accepts that form.
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only?.type === 'text') return only.text;
  return parts.map(contentPart);
}

function contentPart(part: UserPart): ContentPart {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image':
      return { type: 'image_url', image_url: { url: `data:${part.mimeType};base64,${part.data}` } };
    case 'resource':
      return { type: 'text', text: resourceText(part.uri, part.text) };
  }
}

function resourceText(uri: string, text: string): string {
  const trailer = text.endsWith('\n') ? '' : '\n';
  return `<file uri="${uri}">\n${text}${trailer}</file>`;
}

function toolDefinition(tool: ToolSchema) {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } };
}
