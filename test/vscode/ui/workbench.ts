// Playwright helpers for the VS Code workbench in code-server: open it, open the Tether
// panel, run palette commands, reach into the panel's webview, save screenshots.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';

export const WEBVIEW = 'iframe.webview[src*="extensionId=tether.tether-agent"]';
const LONG = 60_000;

/** `[data-testid="…"]`, with optional attribute filters: testid('tool-card', { status: 'completed' }). */
export function testid(id: string, data: Record<string, string> = {}): string {
  return `[data-testid="${id}"]${Object.entries(data).map(([key, value]) => `[data-${key}="${value}"]`).join('')}`;
}

export class Workbench {
  private shot = 0;

  constructor(
    readonly page: Page,
    private readonly url: string,
    private readonly workspace: string,
    private readonly artifacts: string,
  ) {
    // Each run starts with an empty folder, so its screenshots are the only ones there.
    rmSync(artifacts, { recursive: true, force: true });
    mkdirSync(artifacts, { recursive: true });
  }

  /** The workbench on the workspace folder, at 127.0.0.1 (webviews need a secure context). */
  async open(): Promise<void> {
    await this.page.goto(`${this.url}/?folder=${encodeURIComponent(this.workspace)}`);
    await this.waitForWorkbench();
  }

  async waitForWorkbench(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: LONG });
    await this.page.locator('.activitybar').waitFor({ timeout: LONG });
  }

  /** The Tether container (its activity-bar icon must be there), then the panel, connected. */
  async openPanel(): Promise<FrameLocator> {
    await this.page.locator('.activitybar [aria-label^="Tether"]').first().waitFor({ timeout: LONG });
    // The command only ever opens; clicking the icon toggles, and the sidebar may be restoring.
    await this.command('Tether: Open Panel');
    const panel = this.panel();
    await panel.locator(testid('input')).waitFor({ timeout: LONG });
    await panel.locator(testid('connection', { state: 'connected' })).waitFor({ timeout: LONG });
    return panel;
  }

  /** The webview view is two nested frames: VS Code's host iframe and the content frame. */
  panel(): FrameLocator {
    return this.page.frameLocator(WEBVIEW).frameLocator('#active-frame');
  }

  find(id: string, data: Record<string, string> = {}): Locator {
    return this.panel().locator(testid(id, data));
  }

  /** F1, the command's title, Enter on the first match. */
  async command(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row').first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** Types into the panel's message box; Enter sends. */
  async send(text: string): Promise<void> {
    const input = this.find('input');
    await input.fill(text);
    await input.press('Enter');
  }

  /** Waits for `target`, allowing every tool permission that comes first (there may be none). */
  async allowUntil(target: Locator, timeoutMs = LONG): Promise<number> {
    const prompt = this.find('permission', { kind: 'tool' }).first();
    const deadline = Date.now() + timeoutMs;
    for (let allowed = 0; ; allowed++) {
      await target.or(prompt).first().waitFor({ timeout: Math.max(1, deadline - Date.now()) });
      if (!(await prompt.isVisible())) return allowed;
      await prompt.locator(testid('option-allow_once')).click();
      await prompt.waitFor({ state: 'detached', timeout: 10_000 });
    }
  }

  /** Saves `NN-name.png` in the test's artifact folder and returns its path. */
  async screenshot(name: string): Promise<string> {
    this.shot += 1;
    const path = join(this.artifacts, `${String(this.shot).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }
}
