import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { lastSafeCut } from '../../../extension/webview/markdown-split';

const md = new MarkdownIt({ html: false, linkify: true });

describe('streaming markdown cuts', () => {
  it('does not cut a short text', () => {
    assert.equal(lastSafeCut('one\n\ntwo\n', 0), 0);
  });

  it('cuts after the last blank line before a new paragraph', () => {
    const text = 'first paragraph\n\nsecond\n\nthird\nstill stream';
    assert.equal(lastSafeCut(text, 0, 0), text.indexOf('third'));
    assert.equal(lastSafeCut(text, text.indexOf('second'), 0), text.indexOf('third'), 'from an earlier cut');
  });

  it('never cuts inside a code fence, nor before a list item, an indented line or a table row', () => {
    const fence = '```\ncode\n\nmore code\n```\n';
    assert.equal(lastSafeCut(`${fence}tail`, 0, 0), 0);
    assert.equal(lastSafeCut('- a\n\n- b\n', 0, 0), 0);
    assert.equal(lastSafeCut('1. a\n\n2. b\n', 0, 0), 0);
    assert.equal(lastSafeCut('- a\n\n  continued\n', 0, 0), 0);
    assert.equal(lastSafeCut('p\n\n| a |\n', 0, 0), 0);
  });

  it('a fence closes only with a marker as long as its opener', () => {
    const text = '````\n```\n\ninside\n````\n\nafter\n';
    assert.equal(lastSafeCut(text, 0, 0), text.indexOf('after'));
  });

  it('only a line ended by a newline may start the tail', () => {
    assert.equal(lastSafeCut('a\n\nb', 0, 0), 0);
    assert.equal(lastSafeCut('a\n\nb\n', 0, 0), 3);
  });

  it('rendering the parts apart gives the same HTML as rendering the whole (property)', () => {
    const block = fc.constantFrom('para one', 'para *two*\nwraps', '# Head', '- x\n- y', '- x\n\n- y', '1. a\n2. b', '```js\nlet a;\n\nlet b;\n```', '> quote\nlazy', '| a | b |\n|---|---|\n| 1 | 2 |', '    indented', 'text [link](http://x)', '***');
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 12 }), fc.constantFrom('\n\n', '\n\n\n'), (blocks, gap) => {
        const text = `${blocks.join(gap)}\n`;
        const cut = lastSafeCut(text, 0, 0);
        assert.equal(md.render(text.slice(0, cut)) + md.render(text.slice(cut)), md.render(text));
      }),
      { numRuns: 300 },
    );
  });
});
