import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium, launchBrowser } from '../../testing/browser.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';

describe.skipIf(!hasChromium)('the served front ends, in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer('pglite', { listen: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves the agent workspace at /agent with its policy and no script errors', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      // Not logged in yet: the app's session check answers 401, which Chromium logs; that is expected.
      if (message.type() === 'error' && !message.text().includes('status of 401'))
        errors.push(message.text());
    });
    const response = await page.goto(`${server.url}/agent/`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('#root *');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses paths outside the built app', async () => {
    const response = await fetch(`${server.url}/agent/assets/..%2f..%2fpackage.json`);
    expect(response.status).toBe(404);
    const widget = await fetch(`${server.url}/widget/..%2fpackage.json`);
    expect(widget.status).toBe(404);
  });
});
