// One server and one browser per e2e file: started before the file's tests, each test's pages closed
// after it (with a screenshot when it failed), everything removed at the end.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startServer } from '../../src/server.ts';
import { CHROMIUM, launchBrowser } from './browser.ts';

/** The demo sign-ins' password (src/demo). */
export const PASSWORD = 'Lianxin@2023';
const FAILURES = path.resolve('test-results/e2e');

type Viewport = { width: number; height: number };

export interface Console {
  /** The server's address, e.g. http://127.0.0.1:41811 (set once the file's setup ran). */
  readonly url: string;
  /** The server's data folder, also a place for the files a test uploads. */
  readonly dataDir: string;
  /** A fresh page in its own context (own cookies), sized like an office monitor unless told. */
  open(pathname?: string, viewport?: Viewport): Promise<Page>;
  /** A fresh page sized like a cheap phone, with touch. */
  phone(pathname?: string): Promise<Page>;
  /** Fills in the sign-in page and submits it; the caller waits for what should follow. */
  signIn(page: Page, login: string, password?: string): Promise<void>;
}

/** Starts the server on the small demo world (seed 7) and Chromium for the calling test file. */
export function useConsole(name: string): Console {
  let server: { url: string; close(): Promise<void> } | undefined;
  let dataDir = '';
  let browser: Browser | undefined;
  const pages: Page[] = [];

  async function open(pathname = '/login', viewport: Viewport = { width: 1440, height: 900 }, touch = false) {
    const context = await browser!.newContext({
      viewport,
      hasTouch: touch,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    pages.push(page);
    await page.goto(`${server!.url}${pathname}`);
    return page;
  }

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}`);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `lianxin-e2e-${name}-`));
    server = await startServer({ dataDir, port: 0, host: '127.0.0.1', demo: 'small', seed: 7 });
    browser = await launchBrowser();
  });

  afterEach(async ({ task }) => {
    const used = pages.splice(0);
    if (task.result?.state === 'fail') {
      fs.mkdirSync(FAILURES, { recursive: true });
      const shot = `${name}-${task.name.replace(/[^\w]+/g, '-').slice(0, 80)}`;
      await Promise.all(
        used.map((page, i) => page.screenshot({ path: path.join(FAILURES, `${shot}-${i}.png`) })),
      );
    }
    await Promise.all(used.map((page) => page.context().close()));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  return {
    get url() {
      return server!.url;
    },
    get dataDir() {
      return dataDir;
    },
    open: (pathname, viewport) => open(pathname, viewport),
    phone: (pathname = '/login') => open(pathname, { width: 360, height: 740 }, true),
    async signIn(page, login, password = PASSWORD) {
      if (new URL(page.url()).pathname !== '/login') await page.goto(`${server!.url}/login`);
      await page.getByLabel('账号').fill(login);
      await page.getByLabel('密码', { exact: true }).fill(password);
      // Enter submits the form as a user would; the button's name changes while a sign-in is pending
      // ("loading 登录") and it may still be re-rendering after an earlier error.
      await page.getByLabel('密码', { exact: true }).press('Enter');
    },
  };
}
