import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { acceptHunk, countChanges, diffHunks, findHunk, hunkPatchText, rejectHunk, reviewHunks, StaleHunkError } from '../../../extension/review/hunks';

const numbered = (n: number, tag = 'line') => Array.from({ length: n }, (_, i) => `${tag} ${i + 1}\n`).join('');
const replaceLine = (text: string, n: number, by: string) => text.replace(`line ${n}\n`, by);

describe('review hunks', () => {
  it('two changes far apart are two hunks, with ids from their ranges and counts', () => {
    const baseline = numbered(30);
    const current = replaceLine(replaceLine(baseline, 25, 'line twenty-five\n'), 2, 'line two\n');
    const hunks = reviewHunks(baseline, current);
    assert.deepEqual(
      hunks.map((hunk) => [hunk.id, hunk.header]),
      [
        ['1:5:1:5', '@@ -1,5 +1,5 @@'],
        ['22:7:22:7', '@@ -22,7 +22,7 @@'],
      ],
    );
    assert.deepEqual(hunks[0]!.lines, [' line 1', '-line 2', '+line two', ' line 3', ' line 4', ' line 5']);
    assert.deepEqual(countChanges(hunks), { added: 2, removed: 2 });
  });

  it('no difference, no hunks', () => {
    assert.deepEqual(reviewHunks('same\n', 'same\n'), []);
    assert.deepEqual(reviewHunks('', ''), []);
  });

  it('accepting one hunk then rejecting the other (ids recomputed) keeps exactly the accepted change', () => {
    const baseline = numbered(30);
    const current = replaceLine(replaceLine(baseline, 25, 'line twenty-five\n'), 2, 'line two\nline two and a half\n');
    const [first] = reviewHunks(baseline, current);
    const newBaseline = acceptHunk(baseline, current, first!.id);
    assert.equal(newBaseline, replaceLine(baseline, 2, 'line two\nline two and a half\n'));
    const remaining = reviewHunks(newBaseline, current);
    assert.equal(remaining.length, 1);
    assert.equal(remaining[0]!.id, '23:7:23:7', 'the second hunk moved down one line in the new baseline');
    const reverted = rejectHunk(newBaseline, current, remaining[0]!.id);
    assert.equal(reverted, newBaseline);
  });

  it('changes seven unchanged lines apart are the closest separate hunks; each can be taken alone', () => {
    const baseline = numbered(20);
    const current = replaceLine(replaceLine(baseline, 12, 'twelve\n'), 4, 'four\n');
    const hunks = diffHunks(baseline, current);
    assert.equal(hunks.length, 2);
    assert.equal(hunks[0]!.oldStart + hunks[0]!.oldLines + 1, hunks[1]!.oldStart, 'one line between their contexts');
    assert.equal(acceptHunk(baseline, current, hunks[1]!.id), replaceLine(baseline, 12, 'twelve\n'));
    assert.equal(rejectHunk(baseline, current, hunks[1]!.id), replaceLine(baseline, 4, 'four\n'));
    assert.equal(reviewHunks(numbered(20), replaceLine(replaceLine(baseline, 11, 'eleven\n'), 4, 'four\n')).length, 1, 'six apart: one hunk');
  });

  it('a created file (empty baseline) is one hunk, headed -0,0', () => {
    const [hunk] = reviewHunks('', 'new\nfile\n');
    assert.equal(hunk?.header, '@@ -0,0 +1,2 @@');
    assert.deepEqual(hunk?.lines, ['+new', '+file']);
    assert.equal(acceptHunk('', 'new\nfile\n', hunk.id), 'new\nfile\n');
    assert.equal(rejectHunk('', 'new\nfile\n', hunk.id), '');
  });

  it('a file emptied is one hunk, headed +0,0', () => {
    const [hunk] = reviewHunks('a\nb\n', '');
    assert.equal(hunk?.header, '@@ -1,2 +0,0 @@');
    assert.equal(rejectHunk('a\nb\n', '', hunk.id), 'a\nb\n');
  });

  it('keeps a missing final newline byte for byte, and says so in the patch text', () => {
    const baseline = 'a\nb\nc';
    const current = 'a\nb\nc\nd';
    const [hunk] = diffHunks(baseline, current);
    assert.ok(hunk);
    assert.deepEqual(reviewHunks(baseline, current)[0]!.lines, [' a', ' b', '-c', '+c', '+d']);
    assert.equal(hunkPatchText(hunk), '@@ -1,3 +1,4 @@\n a\n b\n-c\n\\ No newline at end of file\n+c\n+d\n\\ No newline at end of file');
    assert.equal(acceptHunk(baseline, current, hunk.id), current);
    assert.equal(rejectHunk(baseline, current, hunk.id), baseline);
  });

  it('only adding the final newline is still a change', () => {
    const [hunk] = reviewHunks('a', 'a\n');
    assert.ok(hunk);
    assert.equal(rejectHunk('a', 'a\n', hunk.id), 'a');
    assert.equal(acceptHunk('a', 'a\n', hunk.id), 'a\n');
  });

  it('keeps CRLF endings on disk but not in the shown lines', () => {
    const baseline = 'one\r\ntwo\r\nthree\r\n';
    const current = 'one\r\nTWO\r\nthree\r\n';
    const [hunk] = diffHunks(baseline, current);
    assert.ok(hunk);
    assert.deepEqual(reviewHunks(baseline, current)[0]!.lines, [' one', '-two', '+TWO', ' three']);
    assert.equal(hunkPatchText(hunk), '@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three');
    assert.equal(acceptHunk(baseline, current, hunk.id), current);
    assert.equal(rejectHunk(baseline, current, hunk.id), baseline);
  });

  it('a rewrite too large to diff quickly is one coarse hunk between the common head and tail', () => {
    const baseline = `head\n${numbered(1500, 'old')}tail 1\ntail 2\ntail 3\ntail 4`;
    const current = `head\n${numbered(1500, 'new')}tail 1\ntail 2\ntail 3\ntail 4`;
    const hunks = diffHunks(baseline, current);
    assert.equal(hunks.length, 1);
    assert.equal(hunks[0]!.header, '@@ -1,1504 +1,1504 @@');
    assert.deepEqual(hunks[0]!.patchLines.slice(0, 2), [' head', '-old 1']);
    assert.deepEqual(hunks[0]!.patchLines.slice(-4), ['+new 1500', ' tail 1', ' tail 2', ' tail 3']);
    assert.deepEqual(diffHunks(baseline, current), hunks, 'the same texts give the same hunk (and id) every time');
    assert.equal(acceptHunk(baseline, current, hunks[0]!.id), current);
    assert.equal(rejectHunk(baseline, current, hunks[0]!.id), baseline);
  });

  it('a stale hunk id is refused with StaleHunkError', () => {
    const hunkId = reviewHunks('a\n', 'b\n')[0]!.id;
    assert.throws(() => acceptHunk('a\n', 'c\nd\n', hunkId), StaleHunkError);
    assert.throws(() => rejectHunk('a\n', 'b\n', '9:9:9:9'), (error: unknown) => error instanceof StaleHunkError && error.hunkId === '9:9:9:9');
    assert.throws(() => findHunk('same\n', 'same\n', hunkId), /no longer in the file/);
  });
});

// ---------- properties ----------

/** Lines from a small alphabet (so the diff has to choose between equal lines), some CRLF, some unterminated. */
const LINE = fc.constantFrom('a\n', 'b\n', 'c\n', 'a\r\n', 'd\r\n', '\n', 'e', 'f');
const EDIT = fc.record({ at: fc.nat(), op: fc.constantFrom('insert', 'delete', 'replace'), line: fc.constantFrom('NEW\n', 'Z\r\n', 'q', 'a\n') });

/** A text and a copy with a few lines inserted, deleted or replaced; long texts give several hunks. */
function editedPairOf(minLines: number, maxLines: number) {
  // size 'max': fast-check otherwise keeps arrays short, and short texts rarely make two hunks.
  const lines = fc.array(LINE, { minLength: minLines, maxLength: maxLines, size: 'max' });
  return fc.record({ base: lines, edits: fc.array(EDIT, { maxLength: 12, size: 'max' }) }).map(({ base, edits }) => {
    const edited: string[] = [...base];
    for (const edit of edits) {
      const at = edited.length === 0 ? 0 : edit.at % edited.length;
      if (edit.op === 'insert') edited.splice(at, 0, edit.line);
      else if (edit.op === 'delete') edited.splice(at, 1);
      else edited.splice(at, 1, edit.line);
    }
    return { baseline: base.join(''), current: edited.join('') };
  });
}
const editedPair = fc.oneof(editedPairOf(0, 12), editedPairOf(12, 50), editedPairOf(50, 150));

/**
 * Settles the hunks one at a time, picking among those left by `picks` (ids recomputed after
 * each verdict, as the panel does), and deciding each by its index among the original hunks.
 */
function reviewOneByOne(baseline: string, current: string, decide: (index: number) => 'accept' | 'reject', picks: readonly number[] = []) {
  const remaining = diffHunks(baseline, current).map((_, index) => index);
  for (let step = 0; remaining.length > 0; step++) {
    const hunks = diffHunks(baseline, current);
    assert.equal(hunks.length, remaining.length, 'each verdict settles exactly one hunk and leaves the others');
    const position = (picks[step] ?? 0) % hunks.length;
    const [original] = remaining.splice(position, 1);
    const id = hunks[position]!.id;
    if (decide(original!) === 'accept') baseline = acceptHunk(baseline, current, id);
    else current = rejectHunk(baseline, current, id);
  }
  assert.deepEqual(diffHunks(baseline, current), []);
  return { baseline, current };
}

/** The original baseline with only the chosen original hunks applied, spliced bottom-up so ranges stay valid. */
function applyOnly(baseline: string, current: string, chosen: (index: number) => boolean): string {
  const baseLines = baseline === '' ? [] : baseline.split(/(?<=\n)/);
  const currentLines = current === '' ? [] : current.split(/(?<=\n)/);
  const hunks = diffHunks(baseline, current);
  for (let index = hunks.length - 1; index >= 0; index--) {
    const hunk = hunks[index]!;
    if (!chosen(index)) continue;
    baseLines.splice(hunk.oldStart - 1, hunk.oldLines, ...currentLines.slice(hunk.newStart - 1, hunk.newStart - 1 + hunk.newLines));
  }
  return baseLines.join('');
}

describe('review hunks (properties)', () => {
  it('accepting every hunk one by one turns the baseline into the current text', () => {
    fc.assert(
      fc.property(editedPair, ({ baseline, current }) => {
        const result = reviewOneByOne(baseline, current, () => 'accept');
        assert.equal(result.baseline, current);
        assert.equal(result.current, current);
      }),
      { numRuns: 500 },
    );
  });

  it('rejecting every hunk one by one turns the current text back into the baseline', () => {
    fc.assert(
      fc.property(editedPair, ({ baseline, current }) => {
        const result = reviewOneByOne(baseline, current, () => 'reject');
        assert.equal(result.current, baseline);
        assert.equal(result.baseline, baseline);
      }),
      { numRuns: 500 },
    );
  });

  it('mixing verdicts, in any order, leaves exactly the accepted changes', () => {
    const verdicts = fc.array(fc.boolean(), { minLength: 16, maxLength: 16 });
    const picks = fc.array(fc.nat(), { maxLength: 16 });
    fc.assert(
      fc.property(editedPair, verdicts, picks, ({ baseline, current }, accepts, order) => {
        const accepted = (index: number) => accepts[index % accepts.length]!;
        const result = reviewOneByOne(baseline, current, (index) => (accepted(index) ? 'accept' : 'reject'), order);
        const expected = applyOnly(baseline, current, accepted);
        assert.equal(result.current, expected);
        assert.equal(result.baseline, expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('a coarse hunk (the diff given up) splices exactly like the diff\'s hunks', () => {
    fc.assert(
      fc.property(editedPair, ({ baseline, current }) => {
        const coarse = diffHunks(baseline, current, 0);
        if (baseline === current) return assert.deepEqual(coarse, []);
        assert.equal(coarse.length, 1);
        const [hunk] = coarse;
        const baseLines = baseline === '' ? [] : baseline.split(/(?<=\n)/);
        const currentLines = current === '' ? [] : current.split(/(?<=\n)/);
        baseLines.splice(hunk!.oldStart - 1, hunk!.oldLines, ...currentLines.slice(hunk!.newStart - 1, hunk!.newStart - 1 + hunk!.newLines));
        assert.equal(baseLines.join(''), current);
        const shown = hunk!.patchLines.filter((line) => !line.startsWith('\\'));
        assert.equal(shown.filter((line) => !line.startsWith('+')).length, hunk!.oldLines);
        assert.equal(shown.filter((line) => !line.startsWith('-')).length, hunk!.newLines);
      }),
      { numRuns: 500 },
    );
  });

  it('every line the hunks show is counted once as added, removed or context', () => {
    fc.assert(
      fc.property(editedPair, ({ baseline, current }) => {
        const hunks = reviewHunks(baseline, current);
        const { added, removed } = countChanges(hunks);
        const context = hunks.flatMap((hunk) => hunk.lines).filter((line) => line.startsWith(' ')).length;
        assert.equal(added + removed + context, hunks.flatMap((hunk) => hunk.lines).length);
      }),
      { numRuns: 200 },
    );
  });
});
