// Caps text sent to the model. Every cut leaves a marker saying how much went missing, so the
// model knows it saw a part and not the whole.

export interface Truncated {
  text: string;
  truncated: boolean;
}

/** Largest index <= `end` that does not fall inside a UTF-8 multi-byte sequence. */
function utf8Boundary(bytes: Buffer, end: number): number {
  let index = Math.min(end, bytes.length);
  while (index > 0 && index < bytes.length && ((bytes[index] ?? 0) & 0xc0) === 0x80) index--;
  return index;
}

/** Length of `bytes` without a trailing, incomplete UTF-8 sequence. */
function completeUtf8End(bytes: Buffer): number {
  let lead = bytes.length - 1;
  while (lead > 0 && bytes.length - lead < 4 && ((bytes[lead] ?? 0) & 0xc0) === 0x80) lead--;
  const first = bytes[lead] ?? 0;
  const needed = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  return lead + needed > bytes.length ? lead : bytes.length;
}

export function bytesMarker(count: number): string {
  return `[... ${count} bytes truncated ...]`;
}

/** Keeps the start of `text`: at most `maxBytes` bytes and `maxLines` lines, then a marker. */
export function truncateHead(text: string, limits: { maxBytes: number; maxLines?: number }): Truncated {
  let kept = text;
  let droppedLines = 0;
  if (limits.maxLines !== undefined) {
    const lines = text.split('\n');
    if (lines.length > limits.maxLines) {
      droppedLines = lines.length - limits.maxLines;
      kept = lines.slice(0, limits.maxLines).join('\n');
    }
  }
  const bytes = Buffer.from(kept);
  if (bytes.length > limits.maxBytes) {
    const cut = utf8Boundary(bytes, limits.maxBytes);
    const droppedBytes = Buffer.byteLength(text) - cut;
    return { text: `${bytes.subarray(0, cut).toString('utf8')}\n${bytesMarker(droppedBytes)}`, truncated: true };
  }
  if (droppedLines > 0) return { text: `${kept}\n[... ${droppedLines} more lines truncated ...]`, truncated: true };
  return { text, truncated: false };
}

/** Keeps the start and the end of `text` within `maxBytes`: command output ends with its errors. */
export function truncateHeadTail(text: string, maxBytes: number): Truncated {
  const bytes = Buffer.from(text);
  if (bytes.length <= maxBytes) return { text, truncated: false };
  const headEnd = utf8Boundary(bytes, Math.floor(maxBytes / 2));
  let tailStart = utf8Boundary(bytes, bytes.length - Math.floor(maxBytes / 2));
  if (tailStart < headEnd) tailStart = headEnd;
  const head = bytes.subarray(0, headEnd).toString('utf8');
  const tail = bytes.subarray(tailStart).toString('utf8');
  return { text: `${head}\n${bytesMarker(tailStart - headEnd)}\n${tail}`, truncated: true };
}

/** Cuts one line to `maxChars` characters, saying how many were dropped. */
export function cutLine(line: string, maxChars: number): string {
  if (line.length <= maxChars) return line;
  return `${line.slice(0, maxChars)} [... ${line.length - maxChars} more chars]`;
}

/**
 * Collects streamed output within a byte budget, keeping the first half and a rolling last
 * half, so a command that prints gigabytes costs at most `limitBytes` of memory.
 */
export class HeadTailBuffer {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;
  private readonly headLimit: number;
  private readonly tailLimit: number;

  constructor(limitBytes: number) {
    this.headLimit = Math.floor(limitBytes / 2);
    this.tailLimit = limitBytes - this.headLimit;
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    const headRoom = this.headLimit - this.headBytes;
    if (headRoom > 0) {
      const part = chunk.subarray(0, headRoom);
      this.head.push(part);
      this.headBytes += part.length;
      chunk = chunk.subarray(part.length);
    }
    if (chunk.length === 0) return;
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    this.trimTail();
  }

  private trimTail(): void {
    while (this.tail.length > 1 && this.tailBytes - (this.tail[0]?.length ?? 0) >= this.tailLimit) {
      this.tailBytes -= this.tail.shift()?.length ?? 0;
    }
    if (this.tailBytes > this.tailLimit * 2) {
      // One huge chunk: keep only its end so memory stays bounded.
      this.tail = [Buffer.concat(this.tail).subarray(this.tailBytes - this.tailLimit)];
      this.tailBytes = this.tailLimit;
    }
  }

  result(): Truncated {
    const head = Buffer.concat(this.head);
    const tailAll = Buffer.concat(this.tail);
    if (this.total <= this.headLimit + this.tailLimit) {
      return { text: Buffer.concat([head, tailAll]).toString('utf8'), truncated: false };
    }
    let tailStart = tailAll.length - this.tailLimit;
    while (tailStart < tailAll.length && ((tailAll[tailStart] ?? 0) & 0xc0) === 0x80) tailStart++;
    const headEnd = completeUtf8End(head);
    const dropped = this.total - headEnd - (tailAll.length - tailStart);
    const text = `${head.subarray(0, headEnd).toString('utf8')}\n${bytesMarker(dropped)}\n${tailAll.subarray(tailStart).toString('utf8')}`;
    return { text, truncated: true };
  }
}
