// Playwright helpers for the VS Code workbench in code-server: open it, open the Tether
// panel, run palette commands, reach into the panel's webview, save screenshots.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';

export const WEBVIEW = 'iframe.webview[src*="extensionId=tether.tether-agent"]';

export class Workbench {
  private shot = 0;

  constructor(
    readonly page: Page,
    private readonly url: string,
    private readonly workspace: string,
    private readonly artifacts: string,
  ) {
    mkdirSync(artifacts, { recursive: true });
  }

  async open(): Promise<void> {
    await this.page.goto(`${this.url}/?folder=${encodeURIComponent(this.workspace)}`);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.activitybar').waitFor({ timeout: 60_000 });
  }

  /** The Tether container (its activity-bar icon must be there), then the input inside its webview. */
  async openPanel(): Promise<FrameLocator> {
    const icon = this.page.locator('.activitybar [aria-label^="Tether"]').first();
    await icon.waitFor({ timeout: 60_000 });
    const panel = this.panel();
    // The command only opens (clicking the icon toggles, and the sidebar may be restoring).
    await this.command('Tether: Open Panel');
    await panel.locator('[data-testid="input"]').waitFor({ timeout: 60_000 });
    await panel.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 60_000 });
    return panel;
  }

  panel(): FrameLocator {
    return this.page.frameLocator(WEBVIEW).frameLocator('#active-frame');
  }

  async command(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row').first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  async send(text: string): Promise<void> {
    const input = this.panel().locator('[data-testid="input"]');
    await input.fill(text);
    await input.press('Enter');
  }

  async screenshot(name: string): Promise<string> {
    this.shot += 1;
    const path = join(this.artifacts, `${String(this.shot).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }
}
