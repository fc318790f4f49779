import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Popup } from '@/components/Popup';
import { tokensCss } from '@/components/design-tokens';
import { localizePage } from '@/lib/i18n';
import './style.css';

/** The shared design tokens (type scale, spacing, light and dark colours), ahead of the popup's own rules. */
function addDesignTokens(): void {
  const style = document.createElement('style');
  style.textContent = tokensCss(':root');
  document.head.prepend(style);
}

/** Opened as a normal page (tests, keyboard users' pinned tab), ?tab=N names the page it controls. */
async function targetTab(): Promise<{ id: number; url: string } | null> {
  const fromQuery = Number(new URLSearchParams(location.search).get('tab'));
  const tab = fromQuery
    ? await browser.tabs.get(fromQuery)
    : (await browser.tabs.query({ active: true, currentWindow: true }))[0];
  return tab?.id !== undefined ? { id: tab.id, url: tab.url ?? '' } : null;
}

localizePage();
addDesignTokens();
void targetTab().then((tab) => render(<Popup tab={tab} />, document.getElementById('app')!));
