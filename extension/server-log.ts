// "Tether Server" output channel: the shared daemon's log file ($TETHER_HOME/daemon.log),
// followed as it grows. The daemon is detached, so its stderr goes to that file.
import { closeSync, openSync, readSync, statSync, unwatchFile, watchFile } from 'node:fs';
import * as vscode from 'vscode';

const INITIAL_TAIL_BYTES = 64 * 1024;

export class ServerLog implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('Tether Server');
  private offset: number | undefined;

  constructor(private readonly path: string) {}

  /** The first show reads the log's tail and starts following it: nothing is polled before. */
  show(): void {
    if (this.offset === undefined) {
      const size = statSync(this.path, { throwIfNoEntry: false })?.size ?? 0;
      this.offset = Math.max(0, size - INITIAL_TAIL_BYTES);
      watchFile(this.path, { interval: 1_000 }, () => this.readNew());
    }
    this.readNew();
    this.channel.show(true);
  }

  /** Reads what was appended since last time; a smaller file was rotated, so start over. */
  private readNew(): void {
    if (this.offset === undefined) return;
    const size = statSync(this.path, { throwIfNoEntry: false })?.size ?? 0;
    if (size < this.offset) this.offset = 0;
    if (size === this.offset) return;
    const fd = openSync(this.path, 'r');
    try {
      const buffer = Buffer.alloc(size - this.offset);
      readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset = size;
      this.channel.append(buffer.toString('utf8'));
    } finally {
      closeSync(fd);
    }
  }

  dispose(): void {
    if (this.offset !== undefined) unwatchFile(this.path);
    this.channel.dispose();
  }
}
