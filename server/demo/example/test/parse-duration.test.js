import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration } from '../src/parse-duration.js';

test('parses single units', () => {
  assert.equal(parseDuration('90s'), 90_000);
  assert.equal(parseDuration('2m'), 120_000);
  assert.equal(parseDuration('1d'), 86_400_000);
});

test('parses combined units', () => {
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('1h 30m 15s'), 5_415_000);
});

test('parses milliseconds', () => {
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('1s500ms'), 1_500);
});

test('takes bare numbers as milliseconds', () => {
  assert.equal(parseDuration('1500'), 1_500);
  assert.equal(parseDuration(42), 42);
});

test('rejects garbage', () => {
  assert.throws(() => parseDuration('soon'), RangeError);
  assert.throws(() => parseDuration('5 parsecs'), RangeError);
});
