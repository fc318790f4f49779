/**
 * Our in-page UI lives in a closed shadow root on <html>: page scripts can't read what it shows, page
 * styles can't reach it, and removing the host leaves the page exactly as it was.
 */
import { render } from 'preact';

export interface ClosedShadowMount {
  mount: HTMLElement;
  remove(): void;
}

export function mountInClosedShadow(tagName: string, css: string): ClosedShadowMount {
  const host = document.createElement(tagName);
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
