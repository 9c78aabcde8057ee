// Packages the already-built extension (dist/) into a .vsix with vsce, offline. The bundles
// hold every dependency, so --no-dependencies keeps node_modules out.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO } from './run-context';

const BUNDLES = ['dist/extension/extension.cjs', 'dist/webview/main.js', 'dist/server/tether.cjs'];

export function packageVsix(outFile: string): string {
  const missing = BUNDLES.filter((bundle) => !existsSync(join(REPO, bundle)));
  if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}: run \`npm run build\` first`);
  mkdirSync(dirname(outFile), { recursive: true });
  const vsce = join(REPO, 'node_modules', '.bin', 'vsce');
  // The README's relative links need a base URL when the repository is not on GitHub.
  const args = ['package', '--no-dependencies', '--baseContentUrl', 'https://example.invalid/tether', '--baseImagesUrl', 'https://example.invalid/tether', '-o', outFile];
  const result = spawnSync(vsce, args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) throw new Error(`vsce package failed (${result.status}):\n${result.stdout}${result.stderr}`);
  return outFile;
}
