import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { editFile } from '../../../server/tools/edit-file';
import { notFoundHint, similarity } from '../../../server/tools/edit-hints';
import { ToolError, type FileAccess } from '../../../server/tools/types';
import { makeContext, runTool, tempDir, writeTree } from './helpers';

const SOURCE = 'function add(a, b) {\n  return a + b;\n}\n\nconst total = add(1, 2);\nconst again = add(1, 2);\n';

describe('edit_file', () => {
  const ws = tempDir();
  const ctx = makeContext(ws);
  const read = (path: string): string => readFileSync(join(ws, path), 'utf8');

  it('replaces a unique match and reports the line of the change', async () => {
    writeTree(ws, { 'a.js': SOURCE });
    const result = await runTool(editFile, { path: 'a.js', old_text: '  return a + b;', new_text: '  return a - b;' }, ctx);
    assert.equal(read('a.js'), SOURCE.replace('a + b', 'a - b'));
    assert.equal(result.output, 'Edited a.js: replaced 1 occurrence, first at line 2.');
    assert.deepEqual(result.locations, [{ path: join(ws, 'a.js'), line: 2 }]);
    assert.deepEqual(result.display, [{ type: 'diff', path: join(ws, 'a.js'), oldText: SOURCE, newText: read('a.js') }]);
  });

  it('refuses an ambiguous match with the count, and replace_all changes every one', async () => {
    writeTree(ws, { 'b.js': SOURCE });
    await assert.rejects(runTool(editFile, { path: 'b.js', old_text: 'add(1, 2)', new_text: 'add(2, 3)' }, ctx), (error: unknown) => {
      assert.ok(error instanceof ToolError);
      assert.match(error.message, /^old_text occurs 2 times in b\.js; include more surrounding lines/);
      return true;
    });
    assert.equal(read('b.js'), SOURCE, 'a refused edit leaves the file untouched');
    const result = await runTool(editFile, { path: 'b.js', old_text: 'add(1, 2)', new_text: 'add(2, 3)', replace_all: true }, ctx);
    assert.equal(read('b.js'), SOURCE.replaceAll('add(1, 2)', 'add(2, 3)'));
    assert.equal(result.output, 'Edited b.js: replaced 2 occurrences, first at line 5.');
  });

  it('inserts replacement text literally, even with $ patterns', async () => {
    writeTree(ws, { 'c.js': 'price = X;\n' });
    await runTool(editFile, { path: 'c.js', old_text: 'X', new_text: "'$&$1$$'" }, ctx);
    assert.equal(read('c.js'), "price = '$&$1$$';\n");
  });

  it('explains a miss caused by whitespace', async () => {
    writeTree(ws, { 'd.js': SOURCE });
    await assert.rejects(
      runTool(editFile, { path: 'd.js', old_text: 'function add(a, b) {\n    return a + b;', new_text: 'x' }, ctx),
      /^ToolError: old_text was not found in d\.js\. It would match if whitespace were ignored/,
    );
  });

  it('points at the closest line on a near miss', async () => {
    writeTree(ws, { 'e.js': SOURCE });
    await assert.rejects(
      runTool(editFile, { path: 'e.js', old_text: 'const totals = add(1, 2);', new_text: 'x' }, ctx),
      /The closest line is 5: "const total = add\(1, 2\);"\. Read the file again/,
    );
  });

  it('matches text written with \\n in a CRLF file and keeps CRLF', async () => {
    writeTree(ws, { 'f.txt': 'one\r\ntwo\r\nthree\r\n' });
    await runTool(editFile, { path: 'f.txt', old_text: 'one\ntwo', new_text: 'uno\ndos' }, ctx);
    assert.equal(read('f.txt'), 'uno\r\ndos\r\nthree\r\n');
  });

  it('refuses empty or identical texts, missing files and paths outside', async () => {
    writeTree(ws, { 'g.js': SOURCE });
    await assert.rejects(runTool(editFile, { path: 'g.js', old_text: '', new_text: 'x' }, ctx), /old_text is empty/);
    await assert.rejects(runTool(editFile, { path: 'g.js', old_text: 'add', new_text: 'add' }, ctx), /identical/);
    await assert.rejects(runTool(editFile, { path: 'missing.js', old_text: 'a', new_text: 'b' }, ctx), /file not found: missing\.js; use write_file/);
    await assert.rejects(runTool(editFile, { path: '../x.js', old_text: 'a', new_text: 'b' }, ctx), /outside the workspace/);
  });

  it('reads and writes through the context file access', async () => {
    writeTree(ws, { 'h.js': 'on disk' });
    let written = '';
    const files: FileAccess = { readText: async () => 'unsaved buffer', writeText: async (_path, content) => void (written = content) };
    await runTool(editFile, { path: 'h.js', old_text: 'unsaved', new_text: 'edited' }, makeContext(ws, { files }));
    assert.equal(written, 'edited buffer');
    assert.equal(read('h.js'), 'on disk');
  });
});

describe('edit hints', () => {
  it('scores similarity between 0 and 1', () => {
    assert.equal(similarity('abc', 'abc'), 1);
    assert.equal(similarity('abcd', 'wxyz'), 0);
    assert.ok(similarity('const total', 'const totals') > 0.9);
  });

  it('says when the first line matches but later lines differ', () => {
    assert.match(notFoundHint(SOURCE, 'function add(a, b) {\n  return a * b;'), /first line matches line 1, but the lines after it differ/);
  });

  it('falls back to advising a re-read', () => {
    assert.equal(notFoundHint(SOURCE, 'completely unrelated'), 'Read the file again and copy the exact text.');
  });
});
