// Launches Debian's Chromium through playwright-core and offers small waiting helpers for the e2e tests.
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = process.env.LX_CHROMIUM ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Waits until the locator shows on screen (fails the test after the default timeout). */
export async function visible(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: 'visible' });
  return locator;
}

/**
 * Waits until the element and everything in it have finished animating (a dialog's opening zoom):
 * a click on a radio inside a dialog still opening was seen to land and change nothing.
 */
export async function settled(locator: Locator): Promise<Locator> {
  // Two frames first: the motion classes that start an animation are put on a frame after mounting.
  await locator.evaluate(async (el) => {
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    await Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished.catch(() => undefined)));
  });
  return locator;
}

/** Waits until nothing matches the locator any more. */
export async function gone(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'detached' });
}

/** Matches an accessible name that ends with the text (tree items carry icon labels before the title). */
export function endsWith(text: string): RegExp {
  return new RegExp(`(^|\\s)${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

export function treeItem(scope: Page | Locator, name: string): Locator {
  return scope.getByRole('tree').getByRole('treeitem', { name: endsWith(name) });
}

/**
 * Chooses `option` in the antd Select whose input is `field` — typing `search` first for a select that
 * searches — and waits until the select shows it. A click can land on an option list that antd is
 * still animating or replacing with fresh search results, so an untaken choice is tried again.
 */
export async function choose(field: Locator, option: string, search?: string): Promise<void> {
  const page = field.page();
  const select = field.locator(`xpath=ancestor::div[contains(concat(' ', @class, ' '), ' ant-select ')][1]`);
  const options = page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
    .filter({ hasText: option });
  for (let attempt = 1; ; attempt++) {
    if (search === undefined) await field.click();
    else await field.fill(search);
    await options.first().click();
    try {
      await select.filter({ hasText: option }).waitFor({ state: 'visible', timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}
