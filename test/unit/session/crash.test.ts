import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readSessionLog, SessionLogWriter } from '../../../server/session/event-log';
import { tempDir } from './helpers';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../../..');

/** Runs the writer child until it has reported `atLeast` appends, then SIGKILLs it. */
function runAndKill(path: string, atLeast: number): Promise<number[]> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'crash-writer.ts'), path], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.split('\n').length > atLeast && !child.killed) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') return fail(new Error(`writer exited on its own (code ${code}): ${err}`));
      // Only whole lines are reports; a partial one was cut by the kill.
      done(out.split('\n').slice(0, -1).map(Number));
    });
  });
}

describe('a writer killed with SIGKILL', () => {
  for (const atLeast of [1, 300, 1500]) {
    it(`loses nothing it reported appended (killed after ${atLeast}+ appends)`, { timeout: 60_000 }, async () => {
      const path = join(tempDir(), 'crash.jsonl');
      const reported = await runAndKill(path, atLeast);
      assert.ok(reported.length >= atLeast, `child reported ${reported.length}`);

      const { records, problems } = await readSessionLog(path);
      // At worst one torn last line; nothing else may be wrong.
      assert.ok(problems.length <= 1 && problems.every((p) => /torn last line/.test(p)), problems.join('; '));
      assert.equal(records[0]?.t, 'session');
      const seqs = records.slice(1).map((record) => (record.t === 'update' ? record.seq : -1));
      assert.deepEqual(seqs, seqs.map((_, index) => index + 1), 'records are whole and in order');
      assert.ok(seqs.length >= Math.max(...reported), `file has ${seqs.length}, child reported up to ${Math.max(...reported)}`);

      const writer = SessionLogWriter.open(path, { create: false });
      writer.append({ t: 'turn_end', turnId: 't', at: new Date().toISOString(), stopReason: 'interrupted' });
      writer.close();
      const after = await readSessionLog(path);
      assert.deepEqual(after.problems, []);
      assert.equal(after.records.length, records.length + 1);
    });
  }
});
