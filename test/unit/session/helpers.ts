// Shared pieces for the session tests: a real temp dir per test and small record builders.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { SessionUpdate } from '@agentclientprotocol/sdk';
import type { LogRecord, SessionHeader } from '../../../server/session/records';

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tether-session-'));
  made.push(dir);
  return dir;
}

export function header(sessionId = 'sess-1', cwd = '/work/project', createdAt = '2024-05-01T10:00:00.000Z'): SessionHeader {
  return { t: 'session', v: 1, sessionId, cwd, additionalDirectories: [], createdAt };
}

export function update(seq: number, body: SessionUpdate, at = '2024-05-01T10:00:01.000Z'): LogRecord {
  return { t: 'update', seq, at, update: body };
}

export function agentText(text: string, messageId?: string): SessionUpdate {
  return messageId === undefined
    ? { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text } }
    : { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text }, messageId };
}
