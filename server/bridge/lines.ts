// Newline-delimited framing for the editor side: bytes in, whole lines out.
import { StringDecoder } from 'node:string_decoder';

export class LineSplitter {
  // The decoder keeps a multi-byte character split across chunks in one piece.
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  /** The complete, non-blank lines in `chunk` (plus what was pending), without their newline. */
  push(chunk: Buffer | string): string[] {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const parts = this.pending.split('\n');
    this.pending = parts.pop() ?? '';
    return parts.map(stripCarriageReturn).filter((line) => line.trim() !== '');
  }

  /** At end of input: the last line if it had no newline. */
  end(): string[] {
    const rest = stripCarriageReturn(this.pending + this.decoder.end());
    this.pending = '';
    return rest.trim() === '' ? [] : [rest];
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** One frame as one output line: a frame that holds raw newlines (pretty-printed JSON) is compacted. */
export function frameToLine(frame: string, parsed: unknown): string {
  if (!frame.includes('\n')) return frame;
  return parsed === undefined ? frame.replace(/\r?\n/g, ' ') : JSON.stringify(parsed);
}
