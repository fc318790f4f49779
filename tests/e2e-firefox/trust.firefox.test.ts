/**
 * The fetch policy in Firefox ESR, ported in part from tests/e2e/trust.e2e.test.ts: news.example,
 * bank.example and cdn.example are loopback servers that the recording proxy reaches under those names
 * (Chromium gets them from --host-resolver-rules). The reader is signed in to all three. A page on a public
 * host never makes the engine fetch a loopback address, an image behind the reader's bank cookie is
 * fetched without it and never described into another site's page, and an image that trickles forever
 * ends at its fetch deadline while the page's other images are captioned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launchFirefoxOnTrustSites, waitFor, type FirefoxExtensionBrowser, type FirefoxOnTrustSites } from '../support/firefox';
import type { ModelHost, TrustSites } from '../support/servers';

const PREFIX = 'Auto-generated: ';
const FETCH_TIMEOUT_S = 15;

describe('The fetch policy in Firefox ESR', () => {
  let setup: FirefoxOnTrustSites;
  let modelHost: ModelHost;
  let sites: TrustSites;
  let ext: FirefoxExtensionBrowser;

  const news = (path: string) => `${sites.news.origin}${path}`;
  const attr = (page: Page, selector: string, name: string) => page.$eval(selector, (el, n) => el.getAttribute(n), name);
  const waitForAlt = (page: Page, selector: string, caption: string) =>
    waitFor(`${selector} to get "${PREFIX}${caption}"`, async () => (await attr(page, selector, 'alt')) === `${PREFIX}${caption}`, 90_000);
  /** Requests the extension's own contexts (the background page's engine) made, as the proxy saw them. */
  const extensionFetches = (urlPart: string) => ext.guard.requests.filter((r) => r.fromExtension && r.url.includes(urlPart));

  beforeAll(async () => {
    // Signed in to all three sites; it throws if bank.example doesn't serve its private image to the reader.
    setup = await launchFirefoxOnTrustSites(FETCH_TIMEOUT_S);
    ({ modelHost, sites, ext } = setup);
  }, 120_000);

  afterAll(() => setup?.close());

  it('never makes the engine fetch a loopback address for a page on a public host', async () => {
    const page = await ext.openPage(news('/trust/private-network.html'));
    try {
      await waitForAlt(page, '[data-case="control"]', 'a yellow circle');
      // The control is done; give the loopback image's job the same time to have run, then look.
      await new Promise((r) => setTimeout(r, 1000));
      expect(await attr(page, '[data-case="loopback"]', 'alt')).toBeNull();
      expect(await attr(page, '[data-case="loopback"]', 'data-altsight')).toBeNull();
      expect(extensionFetches('?pn-case').map((r) => r.url)).toEqual([]);
      expect(sites.cdn.requests.filter((r) => r.path.includes('?pn-case') && r.fromExtension)).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('never describes a cross-origin image behind the reader’s bank cookie into the page', async () => {
    const page = await ext.openPage(news('/trust/bank-image.html'));
    try {
      await waitForAlt(page, '[data-case="control"]', 'a blue square');
      const path = '/private/yellow-circle.webp?auto';
      // The engine did ask (so its failure is the bank's answer, not a guess)…
      await waitFor('the engine to ask bank.example for the image', async () => extensionFetches(path).length > 0, 30_000);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await attr(page, '[data-case="bank"]', 'alt')).toBeNull();
      expect(await attr(page, '[data-case="bank"]', 'data-altsight')).toBeNull();
      // …and bank.example never saw the reader's cookie from the extension.
      const fromEngine = sites.bank.requests.filter((r) => r.path === path && r.fromExtension);
      expect(fromEngine.length).toBeGreaterThan(0);
      expect(fromEngine.filter((r) => r.cookie)).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('ends an image that trickles forever at its deadline, without holding up the page’s other images', async () => {
    const page = await ext.openPage(news('/trust/trickle.html'), 'domcontentloaded');
    const engineTrickles = () => sites.trickles.filter((t) => t.path === '/trickle/stuck.png' && t.fromExtension);
    try {
      await waitFor('the engine to start fetching the trickling image', async () => engineTrickles().length > 0, 60_000);
      await waitForAlt(page, '[data-case="after-1"]', 'a red circle');
      await waitForAlt(page, '[data-case="after-2"]', 'a green triangle');
      await waitForAlt(page, '[data-case="after-3"]', 'a yellow circle');
      // Everything else was done while the engine was still waiting on the stuck image…
      expect(engineTrickles().some((t) => t.open), 'the stuck fetch was still open when the others were done').toBe(true);
      // …and the engine hung up on it at its deadline, leaving the image without an alt.
      await waitFor('the engine to close its trickle connection', async () => engineTrickles().every((t) => !t.open), (FETCH_TIMEOUT_S + 30) * 1000);
      const openFor = Math.max(...engineTrickles().map((t) => t.closedAt! - t.openedAt));
      expect(openFor).toBeGreaterThanOrEqual(FETCH_TIMEOUT_S * 1000 - 1000);
      expect(await attr(page, '[data-case="stuck"]', 'alt')).toBeNull();
    } finally {
      await page.close();
      sites.endTrickles();
    }
  }, 150_000);

  it('sent no request anywhere but the model host and the three sites', () => {
    const allowed = new Set([modelHost.origin, sites.news.origin, sites.bank.origin, sites.cdn.origin, sites.loopbackOrigin].map((o) => new URL(o).origin));
    expect(ext.guard.requests.filter((r) => !allowed.has(new URL(r.url).origin)).map((r) => `${r.method} ${r.url} (${r.context})`)).toEqual([]);
    expect(ext.guard.refused).toEqual([]);
  });
});
