// Text-delta latency from the moment an update arrives off the server's socket to its
// rendering in the webview, for the benchmark. Samples are kept only when
// TETHER_LATENCY_FILE names a file to append them to (JSON lines).
import { appendFileSync } from 'node:fs';

export class LatencyRecorder {
  constructor(private readonly file = process.env.TETHER_LATENCY_FILE) {}

  get enabled(): boolean {
    return Boolean(this.file);
  }

  record(sentAt: number, renderedAt: number): void {
    if (!this.file) return;
    appendFileSync(this.file, `${JSON.stringify({ kind: 'delta', ms: renderedAt - sentAt })}\n`);
  }

  activation(ms: number): void {
    if (this.file) appendFileSync(this.file, `${JSON.stringify({ kind: 'activation', ms })}\n`);
  }
}
