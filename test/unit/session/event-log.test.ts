import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readSessionLog, SessionLogWriter, serializeRecord } from '../../../server/session/event-log';
import type { LogRecord } from '../../../server/session/records';
import { agentText, header, tempDir, update } from './helpers';

const RECORDS: LogRecord[] = [
  header(),
  { t: 'settings', at: '2024-05-01T10:00:00.500Z', mode: 'default', model: 'gpt-test' },
  { t: 'turn_start', turnId: 'turn-1', at: '2024-05-01T10:00:01.000Z' },
  update(1, { sessionUpdate: 'user_message_chunk', content: { type: 'text', text: 'line one\nline two "quoted" 日本語 🎉' } }),
  { t: 'history', item: { type: 'user', parts: [{ type: 'text', text: 'line one\nline two' }] } },
  update(2, agentText('hi\u2028there')),
  { t: 'rule', at: '2024-05-01T10:00:02.000Z', scope: 'shell:npm test', decision: 'allow' },
  { t: 'turn_end', turnId: 'turn-1', at: '2024-05-01T10:00:03.000Z', stopReason: 'end_turn' },
];

function writeLog(path: string, records: LogRecord[]): void {
  const writer = SessionLogWriter.open(path, { create: true });
  for (const record of records) writer.append(record);
  writer.flush();
  writer.close();
}

describe('SessionLogWriter and readSessionLog', () => {
  it('round-trips records, one line each, with the type first', async () => {
    const path = join(tempDir(), 'log.jsonl');
    writeLog(path, RECORDS);
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    assert.equal(lines.length, RECORDS.length + 1);
    assert.equal(lines.at(-1), '');
    assert.ok(lines.slice(0, -1).every((line) => line.startsWith('{"t":"')));
    assert.ok(lines[1]?.startsWith('{"t":"settings","at":"2024-05-01T10:00:00.500Z"'));
    const { records, problems } = await readSessionLog(path);
    assert.deepEqual(problems, []);
    assert.deepEqual(records, RECORDS);
  });

  it('syncs in the background while appends go on, and a close during a sync loses nothing', async () => {
    const path = join(tempDir(), 'log.jsonl');
    const writer = SessionLogWriter.open(path, { create: true });
    writer.append(RECORDS[0]!);
    writer.flushInBackground();
    for (const record of RECORDS.slice(1)) {
      writer.append(record);
      writer.flushInBackground();
    }
    writer.close();
    assert.equal(writer.closed, true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { records, problems } = await readSessionLog(path);
    assert.deepEqual(problems, []);
    assert.deepEqual(records, RECORDS);
  });

  it('creates with the requested mode and refuses to create over an existing log', () => {
    const path = join(tempDir(), 'log.jsonl');
    writeLog(path, [header()]);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.throws(() => SessionLogWriter.open(path, { create: true }), /cannot open session log .*EEXIST/);
    assert.throws(() => SessionLogWriter.open(join(tempDir(), 'missing.jsonl'), { create: false }), /ENOENT/);
  });

  it('refuses an invalid record without touching the file', () => {
    const path = join(tempDir(), 'log.jsonl');
    const writer = SessionLogWriter.open(path, { create: true });
    writer.append(header());
    const before = readFileSync(path, 'utf8');
    assert.throws(() => writer.append({ t: 'update', seq: 1.5, at: 'x', update: agentText('a') }), /malformed "update" record/);
    assert.throws(() => writer.append({ t: 'bogus' } as unknown as LogRecord), /unknown record type "bogus"/);
    assert.equal(readFileSync(path, 'utf8'), before);
    writer.close();
    writer.close();
    assert.throws(() => writer.append(header()), /is closed/);
  });

  it('skips a torn last line when reading, and cuts it off when reopened for append', async () => {
    const path = join(tempDir(), 'log.jsonl');
    writeLog(path, RECORDS.slice(0, 3));
    const whole = serializeRecord(RECORDS[3] as LogRecord);
    appendFileSync(path, whole.slice(0, Math.floor(whole.length / 2)));

    const torn = await readSessionLog(path);
    assert.deepEqual(torn.records, RECORDS.slice(0, 3));
    assert.equal(torn.problems.length, 1);
    assert.match(torn.problems[0] ?? '', /^line 4: skipped a torn last line/);

    const writer = SessionLogWriter.open(path, { create: false });
    assert.equal(writer.repairs.length, 1);
    assert.match(writer.repairs[0] ?? '', /removed a torn last line \(\d+ bytes\)/);
    writer.append(RECORDS[3] as LogRecord);
    writer.close();
    const repaired = await readSessionLog(path);
    assert.deepEqual(repaired.problems, []);
    assert.deepEqual(repaired.records, RECORDS.slice(0, 4));
  });

  it('keeps a whole last record that only lacks its newline', async () => {
    const path = join(tempDir(), 'log.jsonl');
    writeLog(path, RECORDS.slice(0, 2));
    appendFileSync(path, serializeRecord(RECORDS[2] as LogRecord));
    assert.deepEqual((await readSessionLog(path)).records, RECORDS.slice(0, 3));
    const writer = SessionLogWriter.open(path, { create: false });
    assert.match(writer.repairs[0] ?? '', /added the missing newline/);
    writer.append(RECORDS[3] as LogRecord);
    writer.close();
    const after = await readSessionLog(path);
    assert.deepEqual(after, { records: RECORDS.slice(0, 4), problems: [] });
  });

  it('leaves a clean log untouched on reopen', () => {
    const path = join(tempDir(), 'log.jsonl');
    writeLog(path, RECORDS);
    const before = readFileSync(path);
    const writer = SessionLogWriter.open(path, { create: false });
    writer.close();
    assert.deepEqual(writer.repairs, []);
    assert.deepEqual(readFileSync(path), before);
  });

  it('reports corrupt middle lines and keeps every good record around them', async () => {
    const path = join(tempDir(), 'log.jsonl');
    const lines = RECORDS.map((record) => serializeRecord(record));
    lines.splice(2, 0, '{"t":"update","seq":', '\u0000\u0000\u0000', '{"t":"from_the_future","at":"x"}', '', '[1,2]');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const { records, problems } = await readSessionLog(path);
    assert.deepEqual(records, RECORDS);
    assert.equal(problems.length, 4);
    assert.match(problems[0] ?? '', /^line 3: skipped, not valid JSON/);
    assert.match(problems[1] ?? '', /^line 4: skipped, not valid JSON/);
    assert.match(problems[2] ?? '', /^line 5: skipped, unknown record type "from_the_future"/);
    assert.match(problems[3] ?? '', /^line 7: skipped, not a log record/);
  });

  it('reports a log without a header and a header from a newer version', async () => {
    const dir = tempDir();
    const headless = join(dir, 'a.jsonl');
    writeFileSync(headless, `${serializeRecord(RECORDS[1] as LogRecord)}\n`);
    assert.deepEqual((await readSessionLog(headless)).problems, ['the log does not start with a session header']);
    const newer = join(dir, 'b.jsonl');
    writeFileSync(newer, `${JSON.stringify({ ...header(), v: 2 })}\n`);
    const read = await readSessionLog(newer);
    assert.deepEqual(read.records, []);
    assert.match(read.problems[0] ?? '', /unsupported log version 2/);
  });

  it('handles lines far larger than one read chunk and multi-byte text across chunk edges', async () => {
    const path = join(tempDir(), 'log.jsonl');
    const big = update(1, agentText('é🎉'.repeat(200_000)));
    writeLog(path, [header(), big, update(2, agentText('after'))]);
    const { records, problems } = await readSessionLog(path);
    assert.deepEqual(problems, []);
    assert.deepEqual(records, [header(), big, update(2, agentText('after'))]);
  });

  it('throws a clear error only when the file cannot be read', async () => {
    const path = join(tempDir(), 'nope.jsonl');
    await assert.rejects(readSessionLog(path), (error: Error) => error.message.startsWith(`cannot read session log ${path}:`) && /ENOENT/.test(error.message));
  });
});
