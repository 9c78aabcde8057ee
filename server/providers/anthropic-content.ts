// Anthropic Messages content blocks, and the opaque provider data that carries an assistant
// reply's blocks from one request to the next. Thinking blocks are signed by the API: they
// must come back byte for byte, or the next request is rejected.

export interface CacheControl {
  type: 'ephemeral';
}

export interface TextBlock {
  type: 'text';
  text: string;
  cache_control?: CacheControl;
}

export interface ThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature: string;
}

export interface RedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}

export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
  cache_control?: CacheControl;
}

export interface ImageBlock {
  type: 'image';
  source: { type: 'base64'; media_type: string; data: string };
  cache_control?: CacheControl;
}

export interface ToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content?: string;
  is_error?: true;
  cache_control?: CacheControl;
}

/** Blocks the model writes; the only ones kept in provider data. */
export type AssistantBlock = TextBlock | ThinkingBlock | RedactedThinkingBlock | ToolUseBlock;
export type UserBlock = TextBlock | ImageBlock | ToolResultBlock;
export type ContentBlock = AssistantBlock | UserBlock;

export interface WireMessage {
  role: 'user' | 'assistant';
  content: ContentBlock[];
}

/** What the provider stores on an assistant history item. Tagged so data from another provider is never mistaken for it. */
export interface AnthropicProviderData {
  format: 'anthropic-messages';
  content: AssistantBlock[];
}

export function providerDataOf(content: AssistantBlock[]): AnthropicProviderData {
  return { format: 'anthropic-messages', content };
}

/** The stored blocks, or undefined when the data is absent, foreign or damaged. */
export function readProviderData(data: unknown): AssistantBlock[] | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const { format, content } = data as Partial<AnthropicProviderData>;
  if (format !== 'anthropic-messages' || !Array.isArray(content)) return undefined;
  return content.every(isAssistantBlock) ? content : undefined;
}

function isAssistantBlock(block: unknown): block is AssistantBlock {
  if (!block || typeof block !== 'object') return false;
  const b = block as Record<string, unknown>;
  switch (b.type) {
    case 'text':
      return typeof b.text === 'string';
    case 'thinking':
      return typeof b.thinking === 'string' && typeof b.signature === 'string';
    case 'redacted_thinking':
      return typeof b.data === 'string';
    case 'tool_use':
      return typeof b.id === 'string' && typeof b.name === 'string' && !!b.input && typeof b.input === 'object' && !Array.isArray(b.input);
    default:
      return false;
  }
}

export function isThinkingBlock(block: ContentBlock): block is ThinkingBlock | RedactedThinkingBlock {
  return block.type === 'thinking' || block.type === 'redacted_thinking';
}

/** Tool input as the API wants it: a JSON object. Arguments that are not one (cut off by max_tokens) become {}. */
export function toolInputOf(argumentsJson: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(argumentsJson);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through: the model's arguments were not valid JSON
  }
  return {};
}
