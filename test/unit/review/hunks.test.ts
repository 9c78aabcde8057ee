import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { acceptHunk, countChanges, rejectHunk, reviewHunks } from '../../../extension/review/hunks';

const lines = (n: number, tag = 'line') => Array.from({ length: n }, (_, i) => `${tag} ${i + 1}\n`).join('');

/** A text and an edited copy: random lines replaced, inserted or removed. */
const editedPair = fc
  .record({
    base: fc.array(fc.constantFrom('a\n', 'b\n', 'c\n', 'd\n', 'e\n', 'f\n', 'x', '\r\n', 'g\r\n'), { maxLength: 40 }),
    edits: fc.array(fc.record({ at: fc.nat(), op: fc.constantFrom('insert', 'delete', 'replace'), text: fc.constantFrom('NEW\n', 'Z\n', 'q') }), { maxLength: 8 }),
  })
  .map(({ base, edits }) => {
    const edited: string[] = [...base];
    for (const edit of edits) {
      const at = edited.length === 0 ? 0 : edit.at % edited.length;
      if (edit.op === 'insert') edited.splice(at, 0, edit.text);
      else if (edit.op === 'delete') edited.splice(at, 1);
      else edited.splice(at, 1, edit.text);
    }
    return { baseline: base.join(''), current: edited.join('') };
  });

describe('review hunks', () => {
  it('two changes far apart are two hunks, counted', () => {
    const baseline = lines(30);
    const current = baseline.replace('line 2\n', 'line two\n').replace('line 25\n', 'line twenty-five\n');
    const hunks = reviewHunks(baseline, current);
    assert.equal(hunks.length, 2);
    assert.deepEqual(countChanges(hunks), { added: 2, removed: 2 });
  });

  it('accept one and reject the other keeps exactly the accepted change', () => {
    const baseline = lines(30);
    const current = baseline.replace('line 2\n', 'line two\n').replace('line 25\n', 'line twenty-five\n');
    const [first, second] = reviewHunks(baseline, current);
    const newBaseline = acceptHunk(baseline, current, first!.id);
    const remaining = reviewHunks(newBaseline, current);
    assert.equal(remaining.length, 1);
    const reverted = rejectHunk(newBaseline, current, remaining[0]!.id);
    assert.equal(reverted, baseline.replace('line 2\n', 'line two\n'));
    assert.ok(second);
  });

  it('a created file (empty baseline) can be accepted or rejected whole', () => {
    const [hunk] = reviewHunks('', 'new\nfile\n');
    assert.ok(hunk);
    assert.equal(acceptHunk('', 'new\nfile\n', hunk.id), 'new\nfile\n');
    assert.equal(rejectHunk('', 'new\nfile\n', hunk.id), '');
  });

  it('a stale hunk id is refused', () => {
    assert.throws(() => acceptHunk('a\n', 'b\n', '9:9:9:9'), /no longer in the file/);
  });

  it('accepting every hunk gives the current text; rejecting every hunk gives the baseline', () => {
    fc.assert(
      fc.property(editedPair, ({ baseline, current }) => {
        let accepted = baseline;
        for (let guard = 0; guard < 100; guard++) {
          const [hunk] = reviewHunks(accepted, current);
          if (!hunk) break;
          accepted = acceptHunk(accepted, current, hunk.id);
        }
        assert.equal(accepted, current);
        let rejected = current;
        for (let guard = 0; guard < 100; guard++) {
          const [hunk] = reviewHunks(baseline, rejected);
          if (!hunk) break;
          rejected = rejectHunk(baseline, rejected, hunk.id);
        }
        assert.equal(rejected, baseline);
      }),
      { numRuns: 300 },
    );
  });
});
