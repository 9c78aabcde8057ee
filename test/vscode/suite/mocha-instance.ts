// The one Mocha of the extension-host run. Creating it and emitting 'pre-require' at module
// load gives describe/it their context before any suite module runs: index.ts imports this
// module first, and ES modules (and esbuild's bundle) evaluate in import order.
import Mocha from 'mocha';

export const mocha = new Mocha({
  ui: 'bdd',
  timeout: 30_000,
  // No TTY in the extension host: plain spec output, no colours, no cursor tricks.
  color: false,
  reporter: 'spec',
});
mocha.suite.emit('pre-require', globalThis, 'bundled', mocha);
