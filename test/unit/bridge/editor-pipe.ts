// The editor's end of a bridge under test: writes JSON-RPC lines to its stdin and collects
// what it writes to stdout, checking that every output line is one JSON message.
import { PassThrough } from 'node:stream';

export type Message = Record<string, unknown>;

export class EditorPipe {
  /** The bridge reads this (the editor writes). */
  readonly input = new PassThrough();
  /** The bridge writes this (the editor reads). */
  readonly output = new PassThrough();
  readonly received: Message[] = [];
  /** Every output line as written. */
  readonly lines: string[] = [];
  /** Output lines that were not a JSON object: always a bug. */
  readonly badLines: string[] = [];
  private pending = '';

  constructor() {
    this.output.on('data', (chunk: Buffer) => {
      this.pending += chunk.toString('utf8');
      const lines = this.pending.split('\n');
      this.pending = lines.pop() ?? '';
      for (const line of lines) this.take(line);
    });
  }

  send(message: Message): void {
    this.input.write(`${JSON.stringify(message)}\n`);
  }

  sendRequest(id: string | number, method: string, params: unknown = {}): void {
    this.send({ jsonrpc: '2.0', id, method, params });
  }

  /** Sends a request and resolves with its response. */
  async request(id: string | number, method: string, params: unknown = {}): Promise<Message> {
    this.sendRequest(id, method, params);
    return this.waitForMessage((m) => m.id === id && !('method' in m), `the answer to ${method} (${id})`);
  }

  async waitForMessage(matches: (m: Message) => boolean, what: string, timeoutMs = 5_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(matches);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`editor: timed out waiting for ${what}; got ${JSON.stringify(this.received).slice(-1500)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** The `_meta.tether.seq` of every session/update received for `sessionId`, in order. */
  seqs(sessionId: string): number[] {
    return this.received
      .filter((m) => m.method === 'session/update' && (m.params as Message).sessionId === sessionId)
      .map((m) => (((m.params as Message)._meta as Message).tether as Message).seq as number);
  }

  private take(line: string): void {
    this.lines.push(line);
    try {
      const value: unknown = JSON.parse(line);
      if (value && typeof value === 'object' && !Array.isArray(value)) this.received.push(value as Message);
      else this.badLines.push(line);
    } catch {
      this.badLines.push(line);
    }
  }
}
