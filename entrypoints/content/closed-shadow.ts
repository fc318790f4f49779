/**
 * Our in-page UI lives in a closed shadow root on <html>: page scripts can't read what it shows, page
 * styles can't reach it, and removing the host leaves the page exactly as it was.
 */
import { render } from 'preact';

export interface ClosedShadowMount {
  mount: HTMLElement;
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

export function mountInClosedShadow(tagName: string, css: string): ClosedShadowMount {
  const host = document.createElement(tagName);
  // Inline !important outranks any page stylesheet, so `altsight-panel { display: none !important }`
  // can't hide or restyle our UI (a page's script could still remove it, as it can remove anything).
  for (const [property, value] of HOST_STYLE) host.style.setProperty(property, value, 'important');
  const shadow = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = css;
  const mount = document.createElement('div');
  shadow.append(style, mount);
  document.documentElement.append(host);
  return {
    mount,
    remove() {
      render(null, mount);
      host.remove();
    },
  };
}
