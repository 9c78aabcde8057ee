import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { serializeRecord } from '../../../server/session/event-log';
import { InvalidSessionIdError, SessionStore } from '../../../server/session/store';
import { agentText, header, tempDir, update } from './helpers';

function store(warnings: string[] = []): SessionStore {
  return new SessionStore(join(tempDir(), 'home'), { warn: (message) => warnings.push(message) });
}

describe('SessionStore', () => {
  it('creates a private log with its header and reads it back', async () => {
    const sessions = store();
    const writer = sessions.create(header('abc'));
    writer.append(update(1, agentText('hi')));
    writer.close();
    assert.equal(statSync(sessions.dir).mode & 0o777, 0o700);
    assert.equal(statSync(sessions.pathFor('abc')).mode & 0o777, 0o600);
    assert.equal(sessions.exists('abc'), true);
    assert.equal(sessions.exists('other'), false);
    assert.deepEqual(await sessions.read('abc'), { records: [header('abc'), update(1, agentText('hi'))], problems: [] });
    assert.throws(() => sessions.create(header('abc')), /EEXIST/);

    const again = sessions.openForAppend('abc');
    again.append(update(2, agentText('again')));
    again.close();
    assert.equal((await sessions.read('abc')).records.length, 3);
    assert.throws(() => sessions.openForAppend('missing'), /ENOENT/);
  });

  it('refuses hostile session ids before touching the disk', async () => {
    const sessions = store();
    const hostile = ['', '.', '..', '../escape', 'a/b', 'a\\b', '/etc/passwd', 'a\u0000b', 'a.jsonl', 'é', ' a', 'a'.repeat(129)];
    for (const id of hostile) {
      assert.throws(() => sessions.pathFor(id), InvalidSessionIdError, JSON.stringify(id));
      assert.throws(() => sessions.exists(id), InvalidSessionIdError);
      assert.throws(() => sessions.create(header(id)), InvalidSessionIdError);
      assert.throws(() => sessions.openForAppend(id), InvalidSessionIdError);
      assert.throws(() => sessions.read(id), InvalidSessionIdError);
      await assert.rejects(sessions.delete(id), InvalidSessionIdError);
    }
    assert.equal(existsSync(sessions.dir), false);
    assert.doesNotThrow(() => sessions.pathFor('a'.repeat(128)));
    assert.doesNotThrow(() => sessions.pathFor('0f8e-ABC_z'));
  });

  it('deletes a log', async () => {
    const sessions = store();
    sessions.create(header('gone')).close();
    assert.equal(await sessions.delete('gone'), true);
    assert.equal(sessions.exists('gone'), false);
    assert.equal(await sessions.delete('gone'), false);
  });

  it('lists newest first, filters by cwd, and takes titles and times from the log', async () => {
    const sessions = store();
    const old = sessions.create(header('old', '/proj/a', '2024-01-01T00:00:00.000Z'));
    old.append({ t: 'settings', at: '2024-01-01T00:00:01.000Z', title: 'First title' });
    old.append({ t: 'settings', at: '2024-01-01T00:00:02.000Z', title: 'Old session' });
    old.append(update(1, agentText('x'), '2024-01-02T00:00:00.000Z'));
    old.close();
    const recent = sessions.create(header('recent', '/proj/a/', '2024-01-01T00:00:00.000Z'));
    recent.append(update(1, agentText('y'), '2024-03-01T00:00:00.000Z'));
    recent.append({ t: 'history', item: { type: 'user', parts: [] } });
    recent.close();
    const elsewhere = sessions.create(header('elsewhere', '/proj/b', '2024-02-01T00:00:00.000Z'));
    elsewhere.append({ t: 'turn_start', turnId: 't', at: '2024-02-02T00:00:00.000Z' });
    elsewhere.close();

    const all = await sessions.list();
    assert.deepEqual(all.map((s) => [s.sessionId, s.updatedAt]), [
      ['recent', '2024-03-01T00:00:00.000Z'],
      ['elsewhere', '2024-02-02T00:00:00.000Z'],
      ['old', '2024-01-02T00:00:00.000Z'],
    ]);
    assert.deepEqual(all[2], {
      sessionId: 'old', cwd: '/proj/a', additionalDirectories: [], title: 'Old session',
      updatedAt: '2024-01-02T00:00:00.000Z', createdAt: '2024-01-01T00:00:00.000Z',
    });
    assert.equal('title' in (all[0] ?? {}), false);
    assert.deepEqual((await sessions.list({ cwd: '/proj/a' })).map((s) => s.sessionId), ['recent', 'old']);
    assert.deepEqual(await sessions.list({ cwd: '/nowhere' }), []);
  });

  it('uses the file mtime when no record has a time', async () => {
    const sessions = store();
    sessions.create(header('quiet')).close();
    const [summary] = await sessions.list();
    assert.equal(summary?.updatedAt, statSync(sessions.pathFor('quiet')).mtime.toISOString());
  });

  it('reads only appended bytes on a later listing, and survives a damaged index', async () => {
    const sessions = store();
    const writer = sessions.create(header('grow'));
    writer.append({ t: 'settings', at: '2024-01-01T00:00:00.000Z', title: 'Before' });
    assert.equal((await sessions.list())[0]?.title, 'Before');
    const index = join(sessions.dir, 'index.json');
    const cached = JSON.parse(readFileSync(index, 'utf8')) as { entries: Record<string, { scanned: number }> };
    assert.equal(cached.entries.grow?.scanned, statSync(sessions.pathFor('grow')).size);

    // Prove the cache is used: a change to an already-scanned region is not re-read...
    const path = sessions.pathFor('grow');
    const bytes = readFileSync(path, 'utf8');
    writeFileSync(path, bytes.replace('Before', 'BEFORE'));
    assert.equal((await sessions.list())[0]?.title, 'Before');
    // ...while new records are.
    writer.append({ t: 'settings', at: '2024-01-02T00:00:00.000Z', title: 'After' });
    writer.append(update(1, agentText('z'), '2024-01-03T00:00:00.000Z'));
    writer.close();
    const [summary] = await sessions.list();
    assert.deepEqual([summary?.title, summary?.updatedAt], ['After', '2024-01-03T00:00:00.000Z']);

    writeFileSync(index, '{"v":1,"entries":{"grow":{"ino":"x"}');
    assert.equal((await sessions.list())[0]?.title, 'After');
    assert.equal(readdirSync(sessions.dir).filter((name) => name.endsWith('.tmp')).length, 0);
  });

  it('ignores a torn tail while listing, and skips logs without a usable header with a warning', async () => {
    const warnings: string[] = [];
    const sessions = store(warnings);
    const writer = sessions.create(header('ok'));
    writer.append({ t: 'settings', at: '2024-01-01T00:00:00.000Z', title: 'Kept' });
    writer.close();
    appendFileSync(sessions.pathFor('ok'), serializeRecord({ t: 'settings', at: '2024-09-09T00:00:00.000Z', title: 'Torn' }).slice(0, 30));
    writeFileSync(join(sessions.dir, 'bad.jsonl'), 'not json\n');
    writeFileSync(join(sessions.dir, 'notes.txt'), 'hello');
    writeFileSync(join(sessions.dir, 'bad id!.jsonl'), `${serializeRecord(header('x'))}\n`);
    const listed = await sessions.list();
    assert.deepEqual(listed.map((s) => [s.sessionId, s.title]), [['ok', 'Kept']]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /session bad is not listed: its first line is unusable/);
  });

  it('shares one scan between concurrent listings, and still sees later appends', async () => {
    const sessions = store();
    for (let i = 0; i < 20; i++) sessions.create(header(`s${i}`, `/proj/${i % 2}`, '2024-01-01T00:00:00.000Z')).close();
    let scans = 0;
    const scanAll = (sessions as unknown as { scanAll(): Promise<unknown> }).scanAll.bind(sessions);
    (sessions as unknown as { scanAll(): Promise<unknown> }).scanAll = () => {
      scans += 1;
      return scanAll();
    };
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => sessions.list(i % 2 ? { cwd: '/proj/1' } : {})));
    assert.equal(scans, 1);
    assert.equal(results[0]!.length, 20);
    assert.equal(results[1]!.length, 10);
    const writer = sessions.openForAppend('s3');
    writer.append({ t: 'settings', at: '2024-05-01T00:00:00.000Z', title: 'Later' });
    writer.close();
    const later = await sessions.list({ cwd: '/proj/1' });
    assert.equal(scans, 2);
    assert.equal(later.find((summary) => summary.sessionId === 's3')?.title, 'Later');
  });

  it('lists nothing when the directory does not exist yet', async () => {
    assert.deepEqual(await store().list(), []);
  });
});
