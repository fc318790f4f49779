import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { classifySender, senderOrigin, type OwnExtension, type RawSender } from '@/lib/senders';
import { knownSender } from '@/lib/transport';

const ID = 'altsightid';
const ORIGIN = `chrome-extension://${ID}`;
const SELF: OwnExtension = {
  id: ID,
  origin: ORIGIN,
  engineHostPaths: ['/offscreen.html'],
  backgroundPaths: ['/background.js', '/_generated_background_page.html'],
};
const TAB = { id: 7, windowId: 2 };

/** Node's URL gives extension schemes an opaque ("null") origin; Chromium and Firefox give them a real one. */
class BrowserURL extends URL {
  override get origin(): string {
    return /^(chrome|moz)-extension:$/.test(this.protocol) ? `${this.protocol}//${this.host}` : super.origin;
  }
}

beforeAll(() => vi.stubGlobal('URL', BrowserURL));
afterAll(() => vi.unstubAllGlobals());

describe('classifySender', () => {
  it.each<{ case: string; sender: RawSender; role: ReturnType<typeof classifySender> }>([
    { case: 'our service worker', sender: { id: ID, url: `${ORIGIN}/background.js` }, role: 'background' },
    { case: 'our Firefox background page', sender: { id: ID, url: `${ORIGIN}/_generated_background_page.html` }, role: 'background' },
    { case: 'our offscreen document', sender: { id: ID, url: `${ORIGIN}/offscreen.html` }, role: 'engine-host' },
    { case: 'our offscreen document with a query', sender: { id: ID, url: `${ORIGIN}/offscreen.html?boot=1#x` }, role: 'engine-host' },
    { case: 'the popup', sender: { id: ID, url: `${ORIGIN}/popup.html` }, role: 'extension-page' },
    { case: 'the options page in a tab', sender: { id: ID, url: `${ORIGIN}/options.html`, tab: TAB, frameId: 0 }, role: 'extension-page' },
    { case: 'a page of ours framed in a tab', sender: { id: ID, url: `${ORIGIN}/popup.html`, tab: TAB, frameId: 4 }, role: 'extension-page' },
    { case: 'a content script in the top frame', sender: { id: ID, url: 'https://news.example/', tab: TAB, frameId: 0 }, role: 'top-frame-content' },
    { case: 'a content script in frame 3', sender: { id: ID, url: 'https://ads.example/frame', tab: TAB, frameId: 3 }, role: 'any-frame-content' },
    { case: 'a content script in about:blank', sender: { id: ID, url: 'about:blank', tab: TAB, frameId: 5 }, role: 'any-frame-content' },
    { case: 'a content script without a URL', sender: { id: ID, tab: TAB, frameId: 0 }, role: 'top-frame-content' },
    // A web page whose path looks like one of our documents is still a web page.
    { case: 'a web page at /offscreen.html', sender: { id: ID, url: 'https://evil.example/offscreen.html', tab: TAB, frameId: 0 }, role: 'top-frame-content' },
    { case: 'a web page at /background.js', sender: { id: ID, url: 'https://evil.example/background.js', tab: TAB, frameId: 2 }, role: 'any-frame-content' },
  ])('$case → $role', ({ sender, role }) => {
    expect(classifySender(sender, SELF)).toBe(role);
  });

  it.each<{ case: string; sender: RawSender }>([
    { case: 'another extension', sender: { id: 'otherextension', url: 'chrome-extension://otherextension/popup.html' } },
    { case: 'another extension claiming our URL', sender: { id: 'otherextension', url: `${ORIGIN}/offscreen.html` } },
    { case: 'another extension’s content script', sender: { id: 'otherextension', url: 'https://news.example/', tab: TAB, frameId: 0 } },
    { case: 'no extension id at all', sender: { url: `${ORIGIN}/background.js` } },
    { case: 'our offscreen URL inside a tab', sender: { id: ID, url: `${ORIGIN}/offscreen.html`, tab: TAB, frameId: 0 } },
    { case: 'our background URL inside a tab', sender: { id: ID, url: `${ORIGIN}/background.js`, tab: TAB, frameId: 1 } },
    { case: 'a web URL without a tab', sender: { id: ID, url: 'https://news.example/' } },
    { case: 'a web URL without a frame id', sender: { id: ID, url: 'https://news.example/', tab: TAB } },
    { case: 'a web URL in a tab without an id', sender: { id: ID, url: 'https://news.example/', tab: { windowId: 2 }, frameId: 0 } },
    { case: 'another extension’s offscreen path, no tab', sender: { id: ID, url: 'chrome-extension://otherextension/offscreen.html' } },
    { case: 'an unparsable URL without a tab', sender: { id: ID, url: 'not a url' } },
    { case: 'nothing at all', sender: {} },
  ])('$case → null', ({ sender }) => {
    expect(classifySender(sender, SELF)).toBeNull();
  });
});

describe('classifySender where our own origin reads as opaque (Node’s URL, fakeBrowser)', () => {
  const OPAQUE_SELF: OwnExtension = { ...SELF, origin: 'null' };
  beforeAll(() => vi.unstubAllGlobals());
  afterAll(() => vi.stubGlobal('URL', BrowserURL));

  it.each([
    { case: 'an about:blank top frame', sender: { id: ID, url: 'about:blank', tab: TAB, frameId: 0 }, role: 'top-frame-content' },
    { case: 'a data: sub-frame', sender: { id: ID, url: 'data:text/html,<p>hi', tab: TAB, frameId: 2 }, role: 'any-frame-content' },
  ])('$case is still a content script', ({ sender, role }) => {
    expect(classifySender(sender, OPAQUE_SELF)).toBe(role);
  });
});

describe('senderOrigin', () => {
  it.each<{ case: string; sender: RawSender; origin: string }>([
    { case: 'the origin the browser reported wins', sender: { origin: 'https://a.example', url: 'https://b.example/x' }, origin: 'https://a.example' },
    { case: 'else the URL’s origin', sender: { url: 'https://b.example:8443/x?y' }, origin: 'https://b.example:8443' },
    { case: 'a data: URL is opaque', sender: { url: 'data:text/html,hi' }, origin: 'null' },
    { case: 'about:blank is opaque', sender: { url: 'about:blank' }, origin: 'null' },
    { case: 'no URL', sender: {}, origin: 'null' },
    { case: 'an unparsable URL', sender: { url: '::' }, origin: 'null' },
  ])('$case', ({ sender, origin }) => {
    expect(senderOrigin(sender)).toBe(origin);
  });
});

describe('knownSender', () => {
  it('carries the tab, frame, URL and origin of a content script along with its role', () => {
    const raw: RawSender = { id: ID, url: 'https://ads.example/frame', origin: 'https://ads.example', tab: TAB, frameId: 3 };
    expect(knownSender(raw, SELF)).toEqual({
      role: 'any-frame-content',
      tabId: 7,
      windowId: 2,
      frameId: 3,
      url: 'https://ads.example/frame',
      origin: 'https://ads.example',
    });
  });

  it('is null for a sender that is not ours', () => {
    expect(knownSender({ id: 'otherextension', url: 'https://news.example/', tab: TAB, frameId: 0 }, SELF)).toBeNull();
  });
});
