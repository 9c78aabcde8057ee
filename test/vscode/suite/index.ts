// The extension-host test entry (extensionTestsPath): mocha in the real VS Code extension
// host. esbuild bundles this file, so every suite is imported statically here.
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'bundled', mocha);
  // Suites register with describe/it from the globals mocha just installed.
  require('./editor-fs.test');
  require('./terminals.test');
  require('./permissions.test');
  require('./reconnect.test');
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
  });
}
