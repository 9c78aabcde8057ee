// The recent updates of a live session, by sequence number, so a client that reattaches gets
// exactly the tail it missed from memory, without reading the log.
import type { SessionUpdate } from '@agentclientprotocol/sdk';

export interface JournalEntry {
  seq: number;
  update: SessionUpdate;
}

export const DEFAULT_JOURNAL_CAPACITY = 50_000;

export class UpdateJournal {
  private entries: JournalEntry[] = [];

  constructor(private readonly capacity = DEFAULT_JOURNAL_CAPACITY) {}

  add(entry: JournalEntry): void {
    this.entries.push(entry);
    // Trim in batches so adding stays O(1) amortized.
    if (this.entries.length > this.capacity * 1.25) this.entries = this.entries.slice(-this.capacity);
  }

  /** Entries with seq > afterSeq in order, or undefined when some of them are no longer held. */
  after(afterSeq: number): JournalEntry[] | undefined {
    const first = this.entries[0];
    if (!first) return [];
    if (afterSeq < first.seq - 1) return undefined;
    // Seqs are consecutive within the journal, so the start index is arithmetic.
    return this.entries.slice(Math.max(0, afterSeq - first.seq + 1));
  }
}
