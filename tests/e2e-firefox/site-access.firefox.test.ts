/**
 * Firefox lets people withhold an MV3 extension's host permissions. Where they did, AltSight asks for a
 * site at the moment the reader wants something there (turning auto-fill on, or the notice's buttons), and
 * explains when access is missing. Firefox's own UI is reached through BiDi's chrome scope
 * (`browserChrome`): the toolbar button's action and the permission doorhanger, which answers for real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launchFirefoxWithExtension, waitFor, type FirefoxExtensionBrowser } from '../support/firefox';
import { startModelHost, startSite, type ModelHost, type Running } from '../support/servers';

const EXTENSION_ID = 'altsight@altsight.app';
const PERMISSION_PROMPT_ID = 'addon-webext-permissions';

type ExtensionGlobal = { browser: typeof chrome };

interface PermissionPrompt {
  /** The doorhanger's text, whitespace collapsed. */
  text: string;
  accept: string;
  cancel: string[];
}

/** The host-permission doorhanger Firefox shows, or null while there is none. */
function permissionPrompt(ext: FirefoxExtensionBrowser): Promise<PermissionPrompt | null> {
  return ext.inBrowserChrome(`(() => {
    const notification = PopupNotifications.getNotification(${JSON.stringify(PERMISSION_PROMPT_ID)});
    if (!notification) return null;
    const element = PopupNotifications.panel.querySelector('popupnotification');
    return {
      text: (element?.textContent ?? '').replace(/\\s+/g, ' ').trim(),
      accept: notification.mainAction?.label ?? '',
      cancel: (notification.secondaryActions ?? []).map((action) => action.label),
    };
  })()`);
}

/** Presses the doorhanger's Allow or Cancel button, as the reader would. */
async function answerPermissionPrompt(ext: FirefoxExtensionBrowser, allow: boolean): Promise<void> {
  await ext.inBrowserChrome(`(() => {
    const element = PopupNotifications.panel.querySelector('popupnotification');
    if (!element) throw new Error('no doorhanger');
    (${allow} ? element.button : element.secondaryButton).click();
  })()`);
}

/** What a click on AltSight's toolbar button runs: it opens the popup and lends the active tab to it. */
async function clickToolbarButton(ext: FirefoxExtensionBrowser): Promise<void> {
  await ext.inBrowserChrome(`(async () => {
    const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
    const extension = WebExtensionPolicy.getByID(${JSON.stringify(EXTENSION_ID)}).extension;
    await ExtensionParent.apiManager.global.browserActionFor(extension).triggerAction(window);
  })()`);
}

function hasOrigins(ext: FirefoxExtensionBrowser, origins: string[]): Promise<boolean> {
  return ext.extensionPage.evaluate((o) => (globalThis as unknown as ExtensionGlobal).browser.permissions.contains({ origins: o }), origins);
}

interface NoticeState {
  text: string[];
  buttons: string[];
}

function readNotice(doc: Document | undefined): NoticeState | null {
  const notice = doc?.querySelector('[data-testid="site-access-notice"]');
  if (!notice) return null;
  return {
    text: [...notice.querySelectorAll('p')].map((p) => (p.textContent ?? '').trim()),
    buttons: [...notice.querySelectorAll('button')].map((b) => (b.textContent ?? '').trim()),
  };
}

/** The notice in a popup opened as a tab. */
function noticeIn(popup: Page): Promise<NoticeState | null> {
  return popup.evaluate(`(${readNotice})(document)`) as Promise<NoticeState | null>;
}

describe('Site access in Firefox, when the reader withholds it', () => {
  let modelHost: ModelHost;
  let site: Running;
  let otherSite: Running;
  let ext: FirefoxExtensionBrowser;
  let page: Page;
  let host: string;

  beforeAll(async () => {
    [modelHost, site, otherSite] = await Promise.all([startModelHost(), startSite('127.0.0.1'), startSite('localhost')]);
    host = new URL(site.origin).hostname;
    ext = await launchFirefoxWithExtension({ browserChrome: true });
    await ext.setSettings({ modelHost: `${modelHost.origin}/`, modelId: 'altsight-test/tiny-shapes-captioner', backend: 'wasm' });
    // What a reader does in about:addons (Permissions: "Access your data for all websites" off).
    await ext.extensionPage.evaluate(() => (globalThis as unknown as ExtensionGlobal).browser.permissions.remove({ origins: ['<all_urls>'] }));
    expect(await hasOrigins(ext, ['<all_urls>'])).toBe(false);
    page = await ext.openPage(`${site.origin}/single.html`);
  }, 120_000);

  afterAll(async () => {
    await ext?.close();
    await Promise.all([modelHost, site, otherSite].map((s) => s?.close()));
  });

  /** The toolbar popup's notice (the popup is a panel, not a tab: reached from the welcome tab, an extension page). */
  function noticeInToolbarPopup(): Promise<NoticeState | null> {
    // A string, evaluated by BiDi: the extension's CSP would refuse a function built in the page.
    return ext.extensionPage.evaluate(`(${readNotice})(globalThis.browser.extension.getViews({ type: 'popup' })[0]?.document)`) as Promise<NoticeState | null>;
  }

  async function closeToolbarPopup(): Promise<void> {
    await ext.extensionPage.evaluate(() => (globalThis as unknown as ExtensionGlobal).browser.extension.getViews({ type: 'popup' }).forEach((v) => v.close()));
  }

  /**
   * Clicks the toolbar button over `tab`, then opens the same popup as a tab for it, because BiDi can't
   * click into the panel. The toolbar click lent the page's tab (activeTab), so the popup sees its site.
   */
  async function openPopupFor(tab: Page): Promise<Page> {
    await tab.bringToFront();
    await clickToolbarButton(ext);
    await waitFor('the toolbar popup', async () => (await noticeInToolbarPopup()) !== null);
    const tabId = await ext.tabIdOf(tab.url());
    await closeToolbarPopup();
    const { page: popup } = await ext.openExtensionPage(`/popup.html?tab=${tabId}`);
    await waitFor('the notice in the popup tab', () => noticeIn(popup));
    return popup;
  }

  /** Clicks the control labelled `label` in the popup and returns the prompt Firefox then shows. */
  async function promptAfterClicking(popup: Page, label: string): Promise<PermissionPrompt> {
    expect(await permissionPrompt(ext)).toBeNull();
    await clickByText(popup, label);
    return waitFor('Firefox’s permission prompt', () => permissionPrompt(ext));
  }

  /** The prompt asks for this one site, not for all of them. */
  function expectSitePrompt(prompt: PermissionPrompt): void {
    expect(prompt.text).toContain(`Access your data for sites in ${host}`);
    expect(prompt.text).not.toContain('all websites');
  }

  async function clickByText(popup: Page, label: string): Promise<void> {
    const control = await waitFor(`the control "${label}"`, async () => {
      for (const handle of await popup.$$('button, label')) {
        if ((await handle.evaluate((el) => (el.textContent ?? '').trim())) === label) return handle;
      }
      return null;
    });
    await control.click();
  }

  it('explains in the toolbar button’s popup that the site is withheld, and asks nothing before a click', async () => {
    await page.bringToFront();
    await clickToolbarButton(ext);
    try {
      const notice = await waitFor('the notice in the toolbar popup', noticeInToolbarPopup);
      expect(notice).toEqual({ text: [`Firefox doesn’t let AltSight see ${host}: it can’t describe or read images here.`], buttons: [`Allow on ${host}`, 'Allow on all sites'] });
      expect(await permissionPrompt(ext)).toBeNull();
    } finally {
      await closeToolbarPopup();
    }
  }, 60_000);

  it('asks Firefox for the site when auto-fill is turned on there, and keeps explaining after a refusal', async () => {
    const popup = await openPopupFor(page);
    try {
      expectSitePrompt(await promptAfterClicking(popup, `On ${host}`));
      await answerPermissionPrompt(ext, false);
      await waitFor('the prompt to close', async () => (await permissionPrompt(ext)) === null);
      expect(await hasOrigins(ext, [`http://${host}/*`])).toBe(false);
      // The reader's choice is kept, and the notice still says why nothing happens on this site.
      const { autoFillSites } = await ext.extensionPage.evaluate(() => (globalThis as unknown as ExtensionGlobal).browser.storage.local.get('autoFillSites'));
      expect(autoFillSites).toEqual([host]);
      expect(await noticeIn(popup)).toMatchObject({ buttons: [`Allow on ${host}`, 'Allow on all sites'] });
    } finally {
      await popup.close();
    }
  }, 60_000);

  it('asks for every site from “Allow on all sites”, and says so when the reader refuses', async () => {
    const popup = await openPopupFor(page);
    try {
      expect((await promptAfterClicking(popup, 'Allow on all sites')).text).toContain('Access your data for all websites');
      await answerPermissionPrompt(ext, false);
      const notice = await waitFor('the refusal in the notice', async () => {
        const state = await noticeIn(popup);
        return state && state.text.length === 2 ? state : null;
      });
      expect(notice.text[1]).toBe('Access was not given. You can also allow it in the add-on’s permissions.');
      expect(await hasOrigins(ext, ['<all_urls>'])).toBe(false);
    } finally {
      await popup.close();
    }
  }, 60_000);

  it('gets the site from “Allow on <site>”: the notice goes, and auto-fill, already on there, describes the page', async () => {
    const popup = await openPopupFor(page);
    try {
      expectSitePrompt(await promptAfterClicking(popup, `Allow on ${host}`));
      await answerPermissionPrompt(ext, true);
      await waitFor('the site to be granted', () => hasOrigins(ext, [`http://${host}/*`]));
      // That site only: every other site stays withheld.
      expect(await hasOrigins(ext, ['<all_urls>'])).toBe(false);
      await waitFor('the notice to go', async () => (await noticeIn(popup)) === null);
    } finally {
      await popup.close();
    }
    // The content script runs from the next load on; the switch turned on two tests ago now takes effect.
    await page.reload();
    await waitFor('the image’s caption', async () => (await page.$eval('img', (el) => el.getAttribute('alt'))) === 'Auto-generated: a blue square', 60_000);
  }, 120_000);

  // Last: it gives AltSight every site for the rest of this browser's life.
  it('asks for every site when auto-fill is turned on everywhere; once allowed, the notice goes by itself', async () => {
    const other = await ext.openPage(`${otherSite.origin}/single.html`);
    const popup = await openPopupFor(other);
    try {
      const otherHost = new URL(otherSite.origin).hostname;
      expect((await noticeIn(popup))?.buttons).toEqual([`Allow on ${otherHost}`, 'Allow on all sites']);
      expect((await promptAfterClicking(popup, 'On every site')).text).toContain('Access your data for all websites');
      await answerPermissionPrompt(ext, true);
      await waitFor('every site to be granted', () => hasOrigins(ext, ['<all_urls>']));
      // Granted through the switch, not the notice: the notice learns it from Firefox.
      await waitFor('the notice to go', async () => (await noticeIn(popup)) === null);
    } finally {
      await popup.close();
      await other.close();
    }
  }, 60_000);
});
