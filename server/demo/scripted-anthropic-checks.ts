// What the scripted Anthropic server checks and computes about a request, as the real API
// would: signed thinking blocks, tool_use/tool_result pairing, the cache_control limit, and
// prompt-cache reads and writes for prefixes ending at a breakpoint.
import { createHash, createHmac, randomBytes } from 'node:crypto';

/** Signs thinking and redacted thinking; a block altered or unsigned fails verification, as with the real API. */
export class ThinkingSigner {
  private readonly secret = randomBytes(32);

  sign(thinking: string): string {
    return createHmac('sha256', this.secret).update(`thinking\0${thinking}`).digest('base64');
  }

  redactedData(): string {
    const payload = randomBytes(24).toString('base64');
    return `${payload}.${createHmac('sha256', this.secret).update(`redacted\0${payload}`).digest('base64')}`;
  }

  verifies(block: Record<string, unknown>): boolean {
    if (block.type === 'thinking') return typeof block.thinking === 'string' && block.signature === this.sign(block.thinking);
    if (typeof block.data !== 'string') return false;
    const [payload = '', mac] = block.data.split('.');
    return mac === createHmac('sha256', this.secret).update(`redacted\0${payload}`).digest('base64');
  }
}

type Block = Record<string, unknown>;
interface Message {
  role?: unknown;
  content?: unknown;
}

export const MAX_BREAKPOINTS = 4;

/** The API's 400 message for the first problem found, or undefined when the request is acceptable. */
export function requestProblem(body: Record<string, unknown>, signer: ThinkingSigner): string | undefined {
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1) return 'max_tokens: Field required';
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return 'messages: at least one message is required';
  const breakpoints = countBreakpoints(body);
  if (breakpoints > MAX_BREAKPOINTS) return `A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${breakpoints}.`;
  for (let i = 0; i < messages.length; i++) {
    const problem = messageProblem(messages as Message[], i, signer);
    if (problem) return problem;
  }
  return undefined;
}

function messageProblem(messages: Message[], i: number, signer: ThinkingSigner): string | undefined {
  const message = messages[i]!;
  const content = blocksOf(message);
  if (message.role !== 'user' && message.role !== 'assistant') return `messages.${i}.role: Input should be 'user' or 'assistant'`;
  if (content.length === 0) return `messages.${i}: all messages must have non-empty content except for the optional final assistant message`;
  for (let j = 0; j < content.length; j++) {
    const block = content[j]!;
    const at = `messages.${i}.content.${j}`;
    if (block.type === 'text' && (typeof block.text !== 'string' || block.text === '')) return `${at}: text content blocks must be non-empty`;
    if (block.type === 'thinking' && typeof block.signature !== 'string') return `${at}.thinking.signature: Field required`;
    if (block.type === 'thinking' && !signer.verifies(block)) return `${at}: Invalid \`signature\` in \`thinking\` block`;
    if (block.type === 'redacted_thinking' && !signer.verifies(block)) return `${at}: Invalid \`data\` in \`redacted_thinking\` block`;
    if ((block.type === 'thinking' || block.type === 'redacted_thinking') && message.role !== 'assistant') {
      return `${at}: thinking blocks may only appear in assistant messages`;
    }
  }
  return message.role === 'assistant' ? toolPairingProblem(messages, i) : orphanResultProblem(messages, i);
}

function blocksOf(message: Message): Block[] {
  if (typeof message.content === 'string') return message.content === '' ? [] : [{ type: 'text', text: message.content }];
  return Array.isArray(message.content) ? (message.content as Block[]) : [];
}

/** Every tool_use must be answered by a tool_result in the very next message. */
function toolPairingProblem(messages: Message[], i: number): string | undefined {
  const ids = blocksOf(messages[i]!).flatMap((b) => (b.type === 'tool_use' ? [String(b.id)] : []));
  if (ids.length === 0) return undefined;
  const next = messages[i + 1];
  const answered = new Set(next ? blocksOf(next).flatMap((b) => (b.type === 'tool_result' ? [String(b.tool_use_id)] : [])) : []);
  const missing = ids.filter((id) => !answered.has(id));
  // The final assistant message may end in tool_use only when nothing follows it (a prefill); here it always has a successor.
  if (missing.length === 0 || !next) return undefined;
  return (
    `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. ` +
    'Each `tool_use` block must have a corresponding `tool_result` block in the next message.'
  );
}

function orphanResultProblem(messages: Message[], i: number): string | undefined {
  const previous = i > 0 ? messages[i - 1] : undefined;
  const asked = new Set(previous?.role === 'assistant' ? blocksOf(previous).flatMap((b) => (b.type === 'tool_use' ? [String(b.id)] : [])) : []);
  const content = blocksOf(messages[i]!);
  const j = content.findIndex((b) => b.type === 'tool_result' && !asked.has(String(b.tool_use_id)));
  if (j < 0) return undefined;
  return (
    `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(content[j]!.tool_use_id)}. ` +
    'Each `tool_result` block must have a corresponding `tool_use` block in the previous message.'
  );
}

function countBreakpoints(body: Record<string, unknown>): number {
  return segmentsOf(body).filter((s) => s.breakpoint).length;
}

interface Segment {
  /** The block's JSON without its cache_control: what the cache key covers. */
  json: string;
  breakpoint: boolean;
}

/** The request in the order the API renders it for caching: tools, then system, then messages. */
function segmentsOf(body: Record<string, unknown>): Segment[] {
  const segments: Segment[] = [];
  const add = (prefix: string, block: unknown) => {
    const breakpoint = !!block && typeof block === 'object' && 'cache_control' in block && !!(block as Block).cache_control;
    const json = JSON.stringify(block, (key, value: unknown) => (key === 'cache_control' ? undefined : value));
    segments.push({ json: `${prefix}${json}`, breakpoint });
  };
  for (const tool of Array.isArray(body.tools) ? body.tools : []) add('tool:', tool);
  if (typeof body.system === 'string') add('system:', { type: 'text', text: body.system });
  else if (Array.isArray(body.system)) for (const block of body.system) add('system:', block);
  const messages = Array.isArray(body.messages) ? (body.messages as Message[]) : [];
  messages.forEach((message, i) => blocksOf(message).forEach((block) => add(`${i}:${String(message.role)}:`, block)));
  return segments;
}

export interface CacheUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** How far before a breakpoint the API looks for an earlier cache entry. */
const LOOKBACK_BLOCKS = 20;

/**
 * A prompt cache like the API's: a request reads the longest cached prefix that ends at, or
 * up to 20 blocks before, one of its breakpoints, and writes a prefix for every breakpoint.
 * Tokens are estimated at 4 bytes each.
 */
export class PromptCacheSim {
  private readonly entries = new Set<string>();

  constructor(private readonly minCacheableTokens = 0) {}

  usage(body: Record<string, unknown>): CacheUsage {
    const segments = segmentsOf(body);
    const hashes: string[] = [];
    const tokensBefore = [0];
    for (const segment of segments) {
      hashes.push(createHash('sha256').update(`${hashes.at(-1) ?? ''}\0${segment.json}`).digest('hex'));
      tokensBefore.push(tokensBefore.at(-1)! + Math.ceil(Buffer.byteLength(segment.json) / 4));
    }
    const total = tokensBefore.at(-1)!;
    const ends = segments.flatMap((s, i) => (s.breakpoint ? [i + 1] : []));
    const readEnd = Math.max(0, ...ends.map((end) => this.longestHit(hashes, end)));
    const writable = ends.filter((end) => tokensBefore[end]! >= this.minCacheableTokens);
    for (const end of writable) this.entries.add(hashes[end - 1]!);
    const writeEnd = Math.max(readEnd, ...writable);
    const read = tokensBefore[readEnd]!;
    const created = tokensBefore[writeEnd]! - read;
    return { input_tokens: total - read - created, cache_creation_input_tokens: created, cache_read_input_tokens: read };
  }

  private longestHit(hashes: string[], end: number): number {
    for (let p = end; p > 0 && p >= end - LOOKBACK_BLOCKS; p--) if (this.entries.has(hashes[p - 1]!)) return p;
    return 0;
  }
}
