import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseRejection, rejectionReport, type Rejection } from '../../../extension/review/report';

const hunk = (label: string, patch: string): Rejection => ({ kind: 'hunk', label, patch });

describe('rejection report', () => {
  it('is undefined when nothing was rejected', () => {
    assert.equal(rejectionReport([]), undefined);
  });

  it('tells the agent what was reverted as one unified diff, each file headed once', () => {
    const report = rejectionReport([
      hunk('src/a.ts', '@@ -1,1 +1,1 @@\n-old\n+new'),
      hunk('src/b.ts', '@@ -3,1 +3,2 @@\n x\n+y'),
      hunk('src/a.ts', '@@ -9,1 +9,1 @@\n-nine\n+NINE'),
    ]);
    assert.equal(
      report,
      [
        'Review: the user rejected these changes you made; they have been reverted on disk. Do not reapply them unless asked:',
        '```diff',
        '--- a/src/a.ts',
        '+++ b/src/a.ts',
        '@@ -1,1 +1,1 @@',
        '-old',
        '+new',
        '@@ -9,1 +9,1 @@',
        '-nine',
        '+NINE',
        '--- a/src/b.ts',
        '+++ b/src/b.ts',
        '@@ -3,1 +3,2 @@',
        ' x',
        '+y',
        '```',
      ].join('\n'),
    );
  });

  it('keeps the absolute path of a file outside the workspace', () => {
    const report = rejectionReport([hunk('/tmp/x.ts', '@@ -1,1 +1,1 @@\n-a\n+b')])!;
    assert.ok(report.includes('\n--- /tmp/x.ts\n+++ /tmp/x.ts\n'));
  });

  it('names deleted new files after the diff', () => {
    const report = rejectionReport([{ kind: 'deletedFile', label: 'notes.md' }, hunk('a.ts', '@@ -1,1 +1,1 @@\n-a\n+b')]);
    assert.match(report!, /```\n- deleted new file notes\.md$/);
    assert.equal(rejectionReport([{ kind: 'deletedFile', label: 'x.ts' }])?.split('\n')[1], '- deleted new file x.ts');
  });

  it('fences the diff longer than any backtick run inside it', () => {
    const report = rejectionReport([hunk('README.md', '@@ -1,3 +1,3 @@\n ```ts\n-a\n+b\n ````')])!;
    assert.ok(report.includes('\n`````diff\n'));
    assert.ok(report.endsWith('\n`````'));
  });

  it('every rejected hunk appears in the report, whatever the patch text', () => {
    const rejection = fc.oneof(
      fc.record({ kind: fc.constant('hunk' as const), label: fc.string({ minLength: 1 }), patch: fc.string() }),
      fc.record({ kind: fc.constant('deletedFile' as const), label: fc.string({ minLength: 1 }) }),
    );
    fc.assert(
      fc.property(fc.array(rejection, { minLength: 1, maxLength: 8 }), (rejections) => {
        const report = rejectionReport(rejections)!;
        for (const r of rejections) assert.ok(report.includes(r.kind === 'hunk' ? r.patch : `deleted new file ${r.label}`));
      }),
    );
  });
});

describe('stored rejections', () => {
  it('reads back both stored shapes and refuses damaged ones', () => {
    assert.deepEqual(parseRejection({ kind: 'hunk', label: 'a', patch: 'p' }), { kind: 'hunk', label: 'a', patch: 'p' });
    assert.deepEqual(parseRejection({ kind: 'deletedFile', label: 'a' }), { kind: 'deletedFile', label: 'a' });
    // The first shape: no kind; a patch for a hunk, none for a deleted file.
    assert.deepEqual(parseRejection({ label: 'a', patch: 'p' }), { kind: 'hunk', label: 'a', patch: 'p' });
    assert.deepEqual(parseRejection({ label: 'a' }), { kind: 'deletedFile', label: 'a' });
    for (const damaged of [null, 'x', 3, {}, { label: 4 }, { kind: 'hunk', label: 'a' }, { kind: 'other', label: 'a' }]) {
      assert.equal(parseRejection(damaged), undefined, JSON.stringify(damaged));
    }
  });
});
