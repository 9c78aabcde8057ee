import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter, frameToLine } from '../../../server/bridge/lines';

test('lines split across chunks come out whole, without CR, blank lines skipped', () => {
  const splitter = new LineSplitter();
  assert.deepEqual(splitter.push('{"a":1}\n{"b"'), ['{"a":1}']);
  assert.deepEqual(splitter.push(':2}\r\n\n  \n{"c":3}'), ['{"b":2}']);
  assert.deepEqual(splitter.push('\n'), ['{"c":3}']);
  assert.deepEqual(splitter.end(), []);
});

test('a multi-byte character split between chunks is kept intact', () => {
  const splitter = new LineSplitter();
  const bytes = Buffer.from('{"t":"é✓"}\n', 'utf8');
  const cut = bytes.indexOf(0xc3) + 1; // in the middle of é
  assert.deepEqual(splitter.push(bytes.subarray(0, cut)), []);
  assert.deepEqual(splitter.push(bytes.subarray(cut)), ['{"t":"é✓"}']);
});

test('the last line without a newline is delivered at the end', () => {
  const splitter = new LineSplitter();
  assert.deepEqual(splitter.push('{"x":1}\n{"y":2}'), ['{"x":1}']);
  assert.deepEqual(splitter.end(), ['{"y":2}']);
  assert.deepEqual(splitter.end(), []);
});

test('a frame becomes one line: kept as is when it has no newline, compacted otherwise', () => {
  const frame = '{"jsonrpc":"2.0","method":"m","params":{"text":"a\\nb"}}';
  assert.equal(frameToLine(frame, JSON.parse(frame)), frame);
  const pretty = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { a: [1, 2] } }, null, 2);
  const line = frameToLine(pretty, JSON.parse(pretty));
  assert.ok(!line.includes('\n'));
  assert.deepEqual(JSON.parse(line), JSON.parse(pretty));
  assert.ok(!frameToLine('not\njson', undefined).includes('\n'));
});
