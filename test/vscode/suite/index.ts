// The extension-host test entry (extensionTestsPath): mocha in the real VS Code extension
// host. esbuild bundles this file, so every suite is imported statically here.
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'bundled', mocha);
  // Suites call mocha's describe/it as they load, which exist only after pre-require: so they
  // load here, not as static imports (esbuild still bundles these literal requires).
  /* eslint-disable @typescript-eslint/no-require-imports */
  require('./editor-fs.test');
  require('./terminals.test');
  require('./permissions.test');
  require('./reconnect.test');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
  });
}
