import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReviewStore, type StateMemento } from '../../../extension/review/review-store';

/** An in-memory Memento that, like VS Code's, hands back copies of what was stored. */
class FakeMemento implements StateMemento {
  readonly values = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const stored = this.values.get(key);
    return stored === undefined ? undefined : (JSON.parse(stored) as T);
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.stringify(value));
    return Promise.resolve();
  }
}

describe('review store', () => {
  it('keeps the first baseline of a file; a created file has an empty one', () => {
    const store = new ReviewStore(new FakeMemento());
    assert.equal(store.setBaselineIfAbsent('/w/a.ts', 'before\n'), true);
    assert.equal(store.setBaselineIfAbsent('/w/a.ts', 'after first write\n'), false);
    assert.equal(store.setBaselineIfAbsent('/w/new.ts', undefined), true);
    assert.deepEqual(store.baseline('/w/a.ts'), { text: 'before\n', created: false });
    assert.deepEqual(store.baseline('/w/new.ts'), { text: '', created: true });
    assert.deepEqual(store.paths(), ['/w/a.ts', '/w/new.ts']);
  });

  it('survives a reload: baselines and unreported rejections come back', () => {
    const memento = new FakeMemento();
    const store = new ReviewStore(memento);
    store.setBaselineIfAbsent('/w/a.ts', 'one\n');
    store.setBaselineText('/w/a.ts', 'one accepted\n');
    store.setBaselineIfAbsent('/w/gone.ts', 'x');
    store.drop('/w/gone.ts');
    store.addRejections([{ kind: 'hunk', label: 'a.ts', patch: '@@ -1 +1 @@' }, { kind: 'deletedFile', label: 'n.ts' }]);
    const reloaded = new ReviewStore(memento);
    assert.deepEqual(reloaded.paths(), ['/w/a.ts']);
    assert.deepEqual(reloaded.baseline('/w/a.ts'), { text: 'one accepted\n', created: false });
    assert.equal(reloaded.unreportedRejections(), 2);
  });

  it('hands the rejections out once, and the reload agrees', () => {
    const memento = new FakeMemento();
    const store = new ReviewStore(memento);
    store.addRejections([{ kind: 'deletedFile', label: 'n.ts' }]);
    assert.deepEqual(store.takeRejections(), [{ kind: 'deletedFile', label: 'n.ts' }]);
    assert.deepEqual(store.takeRejections(), []);
    assert.equal(new ReviewStore(memento).unreportedRejections(), 0);
  });

  it('ignores damaged stored state instead of failing the extension', () => {
    const memento = new FakeMemento();
    void memento.update('tether.review', {
      baselines: { '/w/ok.ts': { text: 't', created: false }, '/w/bad.ts': { text: 3 }, '/w/null.ts': null },
      rejections: [{ kind: 'hunk', label: 'ok', patch: 'p' }, 'junk'],
    });
    const store = new ReviewStore(memento);
    assert.deepEqual(store.paths(), ['/w/ok.ts']);
    assert.equal(store.unreportedRejections(), 1);
    void memento.update('tether.review', 'not an object');
    assert.deepEqual(new ReviewStore(memento).paths(), []);
  });

  it('a failing write to the workspace state does not throw', async () => {
    const failing: StateMemento = { get: () => undefined, update: () => Promise.reject(new Error('disk full')) };
    const store = new ReviewStore(failing);
    store.setBaselineIfAbsent('/w/a.ts', 'x');
    await new Promise((resolve) => setImmediate(resolve)); // an unhandled rejection would fail the run
    assert.equal(store.baseline('/w/a.ts')?.text, 'x');
  });
});
