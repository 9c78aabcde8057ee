// Child process for crash.test.ts: appends records to a fresh log as fast as it can and reports
// each seq on stdout only after append returned, until the parent SIGKILLs it.
import { writeSync } from 'node:fs';
import { SessionLogWriter } from '../../../server/session/event-log';

const path = process.argv[2];
if (!path) throw new Error('usage: crash-writer.ts <log path>');
const writer = SessionLogWriter.open(path, { create: true });
writer.append({ t: 'session', v: 1, sessionId: 'crash', cwd: '/tmp', additionalDirectories: [], createdAt: new Date().toISOString() });
/** stdout is a non-blocking pipe: when the parent reads slowly a write can fail with EAGAIN; retry. */
function report(line: string): void {
  for (;;) {
    try {
      writeSync(1, line);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

for (let seq = 1; ; seq += 1) {
  // Sizes vary from tiny to many pages so a kill can land anywhere in a write.
  const text = `${seq}:`.padEnd(1 + ((seq * 7919) % 40_000), 'x');
  writer.append({ t: 'update', seq, at: new Date().toISOString(), update: { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text } } });
  report(`${seq}\n`);
}
