import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cutLine, HeadTailBuffer, truncateHead, truncateHeadTail } from '../../../server/tools/truncate';

describe('truncateHead', () => {
  it('leaves short text alone', () => {
    assert.deepEqual(truncateHead('abc\ndef', { maxBytes: 100, maxLines: 5 }), { text: 'abc\ndef', truncated: false });
  });

  it('cuts by bytes with a marker counting what was dropped', () => {
    const result = truncateHead('x'.repeat(1000), { maxBytes: 100 });
    assert.equal(result.truncated, true);
    assert.equal(result.text, `${'x'.repeat(100)}\n[... 900 bytes truncated ...]`);
  });

  it('cuts by lines with a marker', () => {
    const result = truncateHead('1\n2\n3\n4\n5', { maxBytes: 1000, maxLines: 2 });
    assert.equal(result.text, '1\n2\n[... 3 more lines truncated ...]');
  });

  it('never splits a multi-byte character', () => {
    const result = truncateHead('é'.repeat(10), { maxBytes: 5 });
    assert.ok(result.text.startsWith('éé\n'));
    assert.ok(!result.text.includes('\ufffd'));
    assert.match(result.text, /\[\.\.\. 16 bytes truncated \.\.\.\]/);
  });
});

describe('truncateHeadTail', () => {
  it('keeps both ends of long output', () => {
    const text = `START${'m'.repeat(10_000)}END`;
    const result = truncateHeadTail(text, 100);
    assert.equal(result.truncated, true);
    assert.ok(result.text.startsWith('START'));
    assert.ok(result.text.endsWith('END'));
    assert.match(result.text, /\[\.\.\. 9908 bytes truncated \.\.\.\]/);
  });

  it('leaves output within the limit alone', () => {
    assert.deepEqual(truncateHeadTail('ok', 100), { text: 'ok', truncated: false });
  });
});

describe('cutLine', () => {
  it('cuts long lines and says by how much', () => {
    assert.equal(cutLine('abcdef', 3), 'abc [... 3 more chars]');
    assert.equal(cutLine('abc', 3), 'abc');
  });
});

describe('HeadTailBuffer', () => {
  it('returns everything while under the limit, across chunks', () => {
    const buffer = new HeadTailBuffer(100);
    buffer.push(Buffer.from('hello '));
    buffer.push(Buffer.from('world'));
    assert.deepEqual(buffer.result(), { text: 'hello world', truncated: false });
  });

  it('keeps the head and the latest tail of a long stream within the budget', () => {
    const buffer = new HeadTailBuffer(100);
    buffer.push(Buffer.from('HEAD'));
    for (let index = 0; index < 1000; index++) buffer.push(Buffer.from(`line ${index}\n`));
    buffer.push(Buffer.from('TAIL'));
    const result = buffer.result();
    assert.equal(result.truncated, true);
    assert.ok(result.text.startsWith('HEAD'));
    assert.ok(result.text.endsWith('line 999\nTAIL'));
    assert.ok(Buffer.byteLength(result.text) < 160, `kept ${Buffer.byteLength(result.text)} bytes`);
  });

  it('bounds memory for a single huge chunk and reports the dropped count', () => {
    const buffer = new HeadTailBuffer(10);
    buffer.push(Buffer.from(`abcde${'x'.repeat(100_000)}vwxyz`));
    const result = buffer.result();
    assert.equal(result.text, 'abcde\n[... 100000 bytes truncated ...]\nvwxyz');
  });

  it('does not split multi-byte characters at the cut', () => {
    const buffer = new HeadTailBuffer(9);
    buffer.push(Buffer.from('€€€€€€€€€€'));
    const result = buffer.result();
    assert.ok(!result.text.includes('\ufffd'), result.text);
    assert.ok(result.text.startsWith('€\n'));
    assert.ok(result.text.endsWith('\n€'));
  });
});
