import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (the `chromium` package), or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Browser tests run wherever Chromium is installed, and always in CI (`.ci/run` installs it, so
 * a missing browser fails there). On a bare machine without it they are skipped, saying why.
 */
export const browserAvailable = existsSync(CHROMIUM) || Boolean(process.env.CI);

export const SCREENSHOTS = join('test-results', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  // The flags keep Chromium off the network: this machine refuses outside connections.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

export interface Served {
  url: string;
  close(): Promise<void>;
}

function closing(server: Server): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

/** Serves a Hono app on a free port of 127.0.0.1, as `npm start` would. */
export async function serveApp(fetch: (request: Request) => Response | Promise<Response>): Promise<Served> {
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: closing(server) };
}

/** A page of another site (another origin) embedding the widget, as a customer's site would. */
export async function serveHostPage(html: () => string): Promise<Served> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html());
  });
  // Every interface: `localhost` may resolve to ::1 or 127.0.0.1.
  await new Promise<void>((resolve) => server.listen(0, resolve));
  // localhost, not 127.0.0.1: a different origin from the service's even on the same machine.
  return { url: `http://localhost:${(server.address() as AddressInfo).port}`, close: closing(server) };
}

/**
 * One Chromium for a test file and the pages its tests open: `closePages` in afterEach closes
 * each test's contexts (a failed test leaves none open), `close` in afterAll the browser.
 */
export function browserPages(stepMs: number) {
  let browser: Browser | undefined;
  const open: BrowserContext[] = [];
  return {
    async start() {
      browser = await launchBrowser();
    },
    /** A page in a new context (its own cookies and storage), whose steps wait up to `stepMs`. */
    async newPage(options: BrowserContextOptions = {}): Promise<Page> {
      if (!browser) throw new Error('browserPages: start() first');
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, ...options });
      open.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(stepMs);
      return page;
    },
    async closePages() {
      for (const context of open.splice(0)) await context.close();
    },
    async close() {
      await this.closePages();
      await browser?.close();
    },
  };
}
