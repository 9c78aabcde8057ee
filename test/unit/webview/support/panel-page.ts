// The webview bundle in headless Chromium, under the host's CSP, with a stand-in for the VS
// Code API that records what the panel posts and keeps its saved state across reloads.
import { existsSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { HostMessage, WebviewMessage } from '../../../../extension/shared/messages';

export const CHROMIUM = process.env.TETHER_CHROMIUM ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

const ORIGIN = 'http://panel.test';
const NONCE = 'test-nonce';

async function bundle(): Promise<{ js: string; css: string }> {
  const result = await esbuild.build({ entryPoints: ['extension/webview/main.ts'], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', write: false, outdir: '/virtual', logLevel: 'silent' });
  const file = (ext: string) => result.outputFiles.find((out) => out.path.endsWith(ext))!.text;
  return { js: file('.js'), css: file('.css') };
}

function html(): string {
  const csp = `default-src 'none'; style-src ${ORIGIN} 'nonce-${NONCE}'; script-src 'nonce-${NONCE}'; img-src ${ORIGIN} https: data:; font-src ${ORIGIN}`;
  return `<!DOCTYPE html><html><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" nonce="${NONCE}" href="${ORIGIN}/main.css"></head><body><div id="app"></div>
<script nonce="${NONCE}">
window.__posted = [];
window.__state = JSON.parse(sessionStorage.getItem('state') || 'null');
window.acquireVsCodeApi = () => ({
  postMessage: (message) => window.__posted.push(message),
  getState: () => window.__state,
  setState: (state) => { window.__state = state; sessionStorage.setItem('state', JSON.stringify(state)); },
});
</script><script nonce="${NONCE}" src="${ORIGIN}/main.js"></script></body></html>`;
}

export interface PanelPage {
  browser: Browser;
  page: Page;
  /** Console errors and CSP violations: a clean run has none. */
  problems: string[];
  send(message: HostMessage): Promise<void>;
  posted(): Promise<WebviewMessage[]>;
  clearPosted(): Promise<void>;
  close(): Promise<void>;
}

export async function openPanelPage(): Promise<PanelPage> {
  const { js, css } = await bundle();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 420, height: 760 } });
  const problems: string[] = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.route(`${ORIGIN}/**`, (route) => {
    const url = route.request().url();
    if (url.endsWith('/main.js')) return route.fulfill({ body: js, contentType: 'text/javascript' });
    if (url.endsWith('/main.css')) return route.fulfill({ body: css, contentType: 'text/css' });
    return route.fulfill({ body: html(), contentType: 'text/html' });
  });
  await page.goto(`${ORIGIN}/index.html`);
  return {
    browser,
    page,
    problems,
    send: (message) => page.evaluate((data) => void window.dispatchEvent(new MessageEvent('message', { data })), message),
    posted: () => page.evaluate(() => (window as unknown as { __posted: WebviewMessage[] }).__posted),
    clearPosted: () => page.evaluate(() => void ((window as unknown as { __posted: WebviewMessage[] }).__posted = [])),
    close: () => browser.close(),
  };
}
