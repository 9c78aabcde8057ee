// Builds every bundle Tether ships. The server is CommonJS because the ESM-only ACP SDK
// converts cleanly to CJS, while an ESM bundle that contains `ws` fails on dynamic require.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');

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
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
