import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Popup } from '@/components/Popup';
import './style.css';

/** Opened as a normal page (tests, keyboard users' pinned tab), ?tab=N names the page it controls. */
async function targetTab(): Promise<{ id: number; url: string } | null> {
  const fromQuery = Number(new URLSearchParams(location.search).get('tab'));
  const tab = fromQuery
    ? await browser.tabs.get(fromQuery)
    : (await browser.tabs.query({ active: true, currentWindow: true }))[0];
  return tab?.id !== undefined ? { id: tab.id, url: tab.url ?? '' } : null;
}

void targetTab().then((tab) => render(<Popup tab={tab} />, document.getElementById('app')!));
