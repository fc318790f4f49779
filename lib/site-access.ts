/**
 * Firefox lets people withhold an MV3 extension's host permissions, site by site or everywhere; without
 * them our content script doesn't run there and images can't be fetched. Chrome grants them at install.
 * We ask when the reader turns something on for a site, and say so in the popup when access is missing.
 */
import { browser } from 'wxt/browser';

export const ALL_SITES = '<all_urls>';

/** The match pattern for the site of `pageUrl` ("https://news.example/*"), or null for non-web pages. */
export function sitePattern(pageUrl: string): string | null {
  try {
    const url = new URL(pageUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return `${url.protocol}//${url.hostname}/*`;
  } catch {
    return null;
  }
}

export type SiteAccess = 'granted' | 'missing' | 'not-a-web-page';

export async function siteAccess(pageUrl: string): Promise<SiteAccess> {
  const pattern = sitePattern(pageUrl);
  if (!pattern) return 'not-a-web-page';
  const granted = await browser.permissions.contains({ origins: [pattern] }).catch(() => true);
  return granted ? 'granted' : 'missing';
}

/** Whether every site is granted (where the page's own address can't be known). */
export async function allSitesAccess(): Promise<SiteAccess> {
  const granted = await browser.permissions.contains({ origins: [ALL_SITES] }).catch(() => true);
  return granted ? 'granted' : 'missing';
}

/** Must run in a user gesture (a click in the popup). True when the browser now grants it. */
export async function requestSiteAccess(pageUrl: string | null): Promise<boolean> {
  const origins = pageUrl === null ? [ALL_SITES] : [sitePattern(pageUrl) ?? ALL_SITES];
  return browser.permissions.request({ origins }).catch(() => false);
}
