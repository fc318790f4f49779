/**
 * Our in-page UI lives in a closed shadow root on <html>: page scripts can't read what it shows, page
 * styles can't reach it, and removing the host leaves the page exactly as it was.
 */
import { render } from 'preact';

export interface ClosedShadowMount {
  host: HTMLElement;
  mount: HTMLElement;
  /** False once the UI was removed, by us or by a page script that removed the host. */
  readonly isConnected: boolean;
  remove(): void;
}

const HOST_STYLE: [string, string][] = [
  ['all', 'initial'],
  ['display', 'block'],
  ['position', 'static'],
  ['visibility', 'visible'],
  ['opacity', '1'],
  ['transform', 'none'],
  ['filter', 'none'],
  ['clip-path', 'none'],
  ['contain', 'none'],
  ['pointer-events', 'auto'],
];

/**
 * Test builds only: the closed roots, by host, in this content script's isolated world (never the page's),
 * so the e2e suite can run axe inside them through DevTools (tests/e2e/keyboard.e2e.test.ts).
 */
const testShadowRoots = import.meta.env.ALTSIGHT_TEST ? new WeakMap<Element, ShadowRoot>() : null;
if (testShadowRoots) {
  Object.assign(globalThis, { altsightTest: { shadowRootOf: (host: Element) => testShadowRoots.get(host) ?? null } });
}

export function mountInClosedShadow(tagName: string, css: string): ClosedShadowMount {
  const host = document.createElement(tagName);
  // Inline !important outranks any page stylesheet, so `altsight-panel { display: none !important }`
  // can't hide or restyle our UI (a page's script could still remove it, as it can remove anything).
  for (const [property, value] of HOST_STYLE) host.style.setProperty(property, value, 'important');
  const shadow = host.attachShadow({ mode: 'closed' });
  testShadowRoots?.set(host, shadow);
  const style = document.createElement('style');
  style.textContent = css;
  const mount = document.createElement('div');
  shadow.append(style, mount);
  document.documentElement.append(host);
  return {
    host,
    mount,
    get isConnected() {
      return host.isConnected;
    },
    remove() {
      render(null, mount);
      host.remove();
    },
  };
}
