// Benchmark of the VS Code extension in a real code-server + Chromium: bundle sizes,
// activation time (activate() itself; connecting to or starting the server happens after it
// returns), and the delay from a text delta arriving off the server's socket in the extension
// host to its rendering in the webview. `npm run bench:extension` (needs test/vscode/setup.sh).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from '../test/vscode/harness/browser';
import { startCodeServer } from '../test/vscode/harness/code-server';
import { createRunContext, REPO } from '../test/vscode/harness/run-context';
import { Workbench } from '../test/vscode/ui/workbench';
import { median, printTable } from './harness';

const TARGETS = { extensionKB: 300, webviewKB: 300, activationMs: 20, deltaMedianMs: 50 };
const RUNS = 3;

function kb(path: string): number {
  return statSync(join(REPO, path)).size / 1024;
}

interface Sample {
  kind: 'activation' | 'delta';
  ms: number;
}

async function measureOnce(index: number): Promise<Sample[]> {
  const run = await createRunContext(`bench-extension-${index}`);
  const samplesFile = join(run.runDir, 'latency.jsonl');
  const server = await startCodeServer({ runDir: run.runDir, workspace: run.workspace, env: { ...run.env, TETHER_LATENCY_FILE: samplesFile }, vsix: join(REPO, 'dist', 'tether.vsix') });
  const browser = await launchBrowser(run.runDir);
  try {
    const workbench = new Workbench(browser.pages()[0] ?? (await browser.newPage()), server.url, run.workspace, join(run.runDir, 'shots'));
    await workbench.open();
    const panel = await workbench.openPanel();
    await workbench.send('latency: stream words');
    await panel.locator('[data-testid="message-agent"]', { hasText: 'word199' }).waitFor({ timeout: 60_000 });
    await panel.locator('[data-testid="cancel"]').waitFor({ state: 'hidden', timeout: 30_000 });
    return readFileSync(samplesFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Sample);
  } finally {
    await browser.close();
    await server.stop();
    await run.close();
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(...(await measureOnce(i)));
  const activation = samples.filter((s) => s.kind === 'activation').map((s) => s.ms);
  const deltas = samples.filter((s) => s.kind === 'delta').map((s) => s.ms);
  const sizes = { extension: kb('dist/extension/extension.cjs'), webview: kb('dist/webview/main.js') + kb('dist/webview/main.css'), server: kb('dist/server/tether.cjs'), vsix: kb('dist/tether.vsix') };
  const ok = (value: number, target: number) => (value <= target ? 'met' : 'MISSED');
  printTable(
    ['figure', 'value', 'target', ''],
    [
      ['extension bundle', `${sizes.extension.toFixed(0)} KB`, `≤ ${TARGETS.extensionKB} KB`, ok(sizes.extension, TARGETS.extensionKB)],
      ['webview bundle (js + css)', `${sizes.webview.toFixed(0)} KB`, `≤ ${TARGETS.webviewKB} KB`, ok(sizes.webview, TARGETS.webviewKB)],
      ['server bundle (in the .vsix)', `${sizes.server.toFixed(0)} KB`, '', ''],
      ['.vsix', `${sizes.vsix.toFixed(0)} KB`, '', ''],
      [`activation, median of ${activation.length}`, `${median(activation).toFixed(1)} ms (max ${Math.max(...activation).toFixed(1)})`, `≤ ${TARGETS.activationMs} ms`, ok(median(activation), TARGETS.activationMs)],
      [`text delta → webview, median of ${deltas.length}`, `${median(deltas).toFixed(1)} ms (p95 ${percentile(deltas, 95).toFixed(1)}, max ${Math.max(...deltas).toFixed(1)})`, `≤ ${TARGETS.deltaMedianMs} ms`, ok(median(deltas), TARGETS.deltaMedianMs)],
    ],
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
