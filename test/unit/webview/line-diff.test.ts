import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { diffLines, diffOps, splitLines, type DiffLine } from '../../../extension/webview/line-diff';

const show = (lines: DiffLine[]) => lines.map((line) => ({ context: ' ', add: '+', del: '-' })[line.type] + line.text);

describe('line diff', () => {
  it('a changed line is one removal and one addition, with context around it', () => {
    const diff = diffLines('a\nb\nc\nd\ne\nf\ng\nh\n', 'a\nb\nc\nd\nE\nf\ng\nh\n', 2);
    assert.equal(diff.added, 1);
    assert.equal(diff.removed, 1);
    assert.equal(diff.hunks.length, 1);
    assert.deepEqual(show(diff.hunks[0]!.lines), [' c', ' d', '-e', '+E', ' f', ' g']);
    assert.deepEqual([diff.hunks[0]!.oldStart, diff.hunks[0]!.newStart], [3, 3]);
  });

  it('changes far apart make separate hunks with the right start lines', () => {
    const old = Array.from({ length: 30 }, (_, i) => `l${i + 1}`).join('\n');
    const changed = old.replace('l2\n', 'l2\nNEW\n').replace('l25', 'L25');
    const diff = diffLines(old, changed, 1);
    assert.equal(diff.hunks.length, 2);
    assert.deepEqual(show(diff.hunks[0]!.lines), [' l2', '+NEW', ' l3']);
    assert.deepEqual([diff.hunks[1]!.oldStart, diff.hunks[1]!.newStart], [24, 25]);
  });

  it('a new file is all additions; equal texts have no hunks', () => {
    assert.deepEqual(show(diffLines('', 'x\ny\n').hunks[0]!.lines), ['+x', '+y']);
    assert.deepEqual(diffLines('same\n', 'same\n').hunks, []);
    assert.deepEqual(splitLines('a\r\nb'), ['a', 'b']);
  });

  it('falls back to remove-all/add-all when the changed middle is huge', () => {
    const a = Array.from({ length: 1000 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 1000 }, (_, i) => `b${i}`);
    const ops = diffOps(a, b);
    assert.equal(ops.length, 2000);
    assert.equal(ops[0]!.type, 'del');
    assert.equal(ops[1999]!.type, 'add');
  });

  it('the ops always rebuild both texts (property)', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd', ''), { maxLength: 30 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const ops = diffOps(a, b);
        assert.deepEqual(ops.filter((op) => op.type !== 'add').map((op) => op.text), a);
        assert.deepEqual(ops.filter((op) => op.type !== 'del').map((op) => op.text), b);
      }),
    );
  });
});
