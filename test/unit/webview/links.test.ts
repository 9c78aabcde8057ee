import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localTarget } from '../../../extension/webview/links';

describe('file links in markdown', () => {
  it('leaves web links and anchors to VS Code', () => {
    for (const href of ['https://example.com/a.ts', 'http://x', 'mailto:a@b.c', '#top', '', 'javascript:alert(1)']) assert.equal(localTarget(href, '/w'), undefined, href);
  });

  it('reads paths with a line from #L or :line, relative to the session folder', () => {
    assert.deepEqual(localTarget('src/a.ts#L12', '/w'), { path: '/w/src/a.ts', line: 12 });
    assert.deepEqual(localTarget('./src/a.ts:7:3', '/w/'), { path: '/w/src/a.ts', line: 7 });
    assert.deepEqual(localTarget('/abs/b.ts', '/w'), { path: '/abs/b.ts' });
    assert.deepEqual(localTarget('file:///abs/My%20File.ts#L2-L5', '/w'), { path: '/abs/My File.ts', line: 2 });
    assert.deepEqual(localTarget('C:\\w\\c.ts:4', undefined), { path: 'C:\\w\\c.ts', line: 4 });
  });
});
