// Ids of the daemon's requests to the editor (permission, fs, terminal), renumbered by the
// bridge. A restarted daemon numbers its requests from scratch, so without this a late answer
// to a request of the dead connection could be taken as the answer to a new one.
import type { JsonRpcId } from './jsonrpc';

export class AgentRequestIds {
  private next = 0;
  private readonly originals = new Map<number, JsonRpcId>();

  /** The id the editor sees for a daemon request that carried `original`. */
  toEditor(original: JsonRpcId): number {
    const id = this.next++;
    this.originals.set(id, original);
    return id;
  }

  /** The daemon's id for an editor answer, once; undefined for an unknown or stale id. */
  toDaemon(editorId: JsonRpcId | undefined): { id: JsonRpcId } | undefined {
    if (typeof editorId !== 'number' || !this.originals.has(editorId)) return undefined;
    const id = this.originals.get(editorId) ?? null;
    this.originals.delete(editorId);
    return { id };
  }

  get pendingCount(): number {
    return this.originals.size;
  }

  /** The connection that asked is gone: answers to its requests have nowhere to go. */
  forgetAll(): number {
    const dropped = this.originals.size;
    this.originals.clear();
    return dropped;
  }
}
