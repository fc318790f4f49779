// The first-run page: opened once, when the extension is installed (not on updates or browser restarts).
import { browser } from 'wxt/browser';

export const ONBOARDING_PATH = '/onboarding.html';

/** Call at the service worker's top level: `onInstalled` fires only to listeners added in the first turn. */
export function openOnboardingOnInstall(): void {
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason !== 'install') return;
    void browser.tabs.create({ url: browser.runtime.getURL(ONBOARDING_PATH) }).catch((err: unknown) => {
      console.warn('AltSight: could not open the welcome page', err);
    });
  });
}
