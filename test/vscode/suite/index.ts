// The extension-host test entry (extensionTestsPath): mocha in the real VS Code extension
// host. esbuild bundles this file, so every suite is imported statically here; the Mocha
// instance must be imported first (see mocha-instance.ts).
import { mocha } from './mocha-instance';
import './smoke.test';
import './editor-fs.test';
import './terminals.test';
import './permissions.test';
import './reconnect.test';

export function run(): Promise<void> {
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
  });
}
