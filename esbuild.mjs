// Builds every bundle Tether ships. The server is CommonJS because the ESM-only ACP SDK
// converts cleanly to CJS, while an ESM bundle that contains `ws` fails on dynamic require.
import { cpSync, rmSync } from 'node:fs';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');

/** What the VS Code extension host loads: CommonJS, with `vscode` provided by the host at run time. */
const extensionHost = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'], sourcemap: true };

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    entryPoints: ['server/cli.ts'],
    outfile: 'dist/server/tether.cjs',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    minify: true,
    keepNames: true,
    // Some dependencies (fdir, under tinyglobby) call createRequire(import.meta.url), which a CJS
    // bundle leaves empty: give them the bundle's own URL.
    banner: { js: "#!/usr/bin/env node\nconst __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__bundleUrl' },
    logLevel: 'warning',
  },
  {
    ...extensionHost,
    entryPoints: ['extension/extension.ts'],
    outfile: 'dist/extension/extension.cjs',
    minify: true,
    keepNames: true,
    logLevel: 'warning',
  },
  // The panel's webview: one browser script and its stylesheet (imported by main.ts).
  {
    entryPoints: ['extension/webview/main.ts'],
    outfile: 'dist/webview/main.js',
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: true,
    minify: true,
    logLevel: 'warning',
  },
  // The extension-host test suite (mocha inside a real VS Code), loaded via extensionTestsPath.
  {
    ...extensionHost,
    entryPoints: ['test/vscode/suite/index.ts'],
    outfile: 'dist/test/index.cjs',
    logLevel: 'error',
  },
];

// The demo's example project ships beside the bundle so an installed `tether demo` finds it.
function copyDemoExample() {
  rmSync('dist/server/demo-example', { recursive: true, force: true });
  cpSync('server/demo/example', 'dist/server/demo-example', { recursive: true, dereference: true });
}

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  copyDemoExample();
}
