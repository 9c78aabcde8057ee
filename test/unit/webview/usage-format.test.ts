import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseName, clipText, formatBytes, formatCost, formatCount, formatPercent, relativeTime } from '../../../extension/webview/format';
import { summarizeUsage } from '../../../extension/webview/usage';

describe('usage line', () => {
  it('says context share, tokens and what stateful runs saved', () => {
    const summary = summarizeUsage({ used: 24_000, size: 200_000, inputTokens: 12_000, outputTokens: 3_200, sentBytes: 36 * 1024, statelessBytes: 120 * 1024 });
    assert.equal(summary.line, 'ctx 12% · 15.2k tok · saved 84 KB (stateless would send 120 KB)');
    assert.match(summary.detail, /Context: 24,000 of 200,000 tokens/);
    assert.match(summary.detail, /a stateless client would have sent 120 KB/);
  });

  it('leaves out what is unknown or nothing to boast about', () => {
    assert.equal(summarizeUsage({}).line, '');
    assert.equal(summarizeUsage({ used: 500, size: 100_000 }).line, 'ctx <1%');
    assert.equal(summarizeUsage({ sentBytes: 100, statelessBytes: 100 }).line, '', 'no saving, no claim');
    assert.equal(summarizeUsage({ used: 0, size: 0, inputTokens: 0, outputTokens: 0 }).line, '');
  });

  it('adds the cost when the agent reports one', () => {
    assert.equal(summarizeUsage({ cost: { amount: 0.042, currency: 'USD' } }).line, '$0.042');
    assert.equal(summarizeUsage({ cost: { amount: 3.5, currency: 'EUR' } }).line, '3.50 EUR');
  });
});

describe('formatters', () => {
  it('bytes, counts and percentages', () => {
    assert.deepEqual([0, 1023, 1024, 86_016, 5 * 1024 * 1024].map(formatBytes), ['0 B', '1023 B', '1 KB', '84 KB', '5 MB']);
    assert.deepEqual([999, 15_234, 1_250_000].map(formatCount), ['999', '15.2k', '1.3M']);
    assert.deepEqual([formatPercent(1, 3), formatPercent(0, 10), formatPercent(5, 0)], ['33%', '0%', '0%']);
    assert.equal(formatCost(1.234, 'usd'), '$1.23');
  });

  it('relative times', () => {
    const now = Date.parse('2025-06-10T12:00:00Z');
    const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();
    assert.deepEqual(
      [ago(5), ago(300), ago(7200), ago(86_400 + 10), ago(86_400 * 4), ago(86_400 * 60)].map((iso) => relativeTime(iso, now)),
      ['just now', '5 min ago', '2 h ago', 'yesterday', '4 d ago', '2025-04-11'],
    );
    assert.equal(relativeTime(undefined, now), '');
    assert.equal(relativeTime('not a date', now), '');
  });

  it('names and clipping', () => {
    assert.equal(baseName('/w/src/a.ts'), 'a.ts');
    assert.equal(baseName('C:\\w\\b.ts'), 'b.ts');
    assert.equal(clipText('abcdef', 4), 'abcd\n… 2 more characters');
    assert.equal(clipText('abc', 4), 'abc');
  });
});
