import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { focusReturnTarget, isScriptlessFrameDocument, nextFocusIndex, tabbablesIn } from '@/lib/page/focus-trap';

function doc(html: string): Document {
  return parseHTML(`<!doctype html><html><body>${html}</body></html>`).document as unknown as Document;
}

describe('nextFocusIndex: Tab and Shift+Tab cycle inside a dialog', () => {
  it.each([
    { case: 'Tab from the dialog itself goes to the first control', current: -1, count: 3, backwards: false, next: 0 },
    { case: 'Shift+Tab from the dialog itself goes to the last control', current: -1, count: 3, backwards: true, next: 2 },
    { case: 'Tab moves on', current: 0, count: 3, backwards: false, next: 1 },
    { case: 'Tab on the last control wraps to the first', current: 2, count: 3, backwards: false, next: 0 },
    { case: 'Shift+Tab on the first control wraps to the last', current: 0, count: 3, backwards: true, next: 2 },
    { case: 'Shift+Tab moves back', current: 2, count: 3, backwards: true, next: 1 },
    { case: 'one control keeps focus', current: 0, count: 1, backwards: false, next: 0 },
    { case: 'focus somewhere unknown starts over', current: 7, count: 3, backwards: false, next: 0 },
    { case: 'no control: nothing to move to', current: -1, count: 0, backwards: false, next: null },
  ])('$case', ({ current, count, backwards, next }) => {
    expect(nextFocusIndex(current, count, backwards)).toBe(next);
  });
});

describe('tabbablesIn', () => {
  it('lists what Tab visits, in order, without disabled controls or tabindex=-1', () => {
    const d = doc(`<div id="dialog" tabindex="-1">
      <button id="a">Copy</button><button id="b" disabled>Read</button><a id="c" href="#x">link</a><a id="d">no href</a>
      <span id="e" tabindex="0">focusable</span><span id="f" tabindex="-1">not by Tab</span><input id="g" type="hidden"><button id="h">Close</button>
    </div>`);
    const ids = tabbablesIn(d.getElementById('dialog')!, () => true).map((el) => el.id);
    expect(ids).toEqual(['a', 'c', 'e', 'h']);
  });

  it('leaves out controls that are not rendered', () => {
    const d = doc(`<div id="dialog"><button id="a">One</button><button id="b" class="gone">Two</button></div>`);
    expect(tabbablesIn(d.getElementById('dialog')!, (el) => !el.classList.contains('gone')).map((el) => el.id)).toEqual(['a']);
  });
});

describe('focusReturnTarget: where focus goes when a panel closes', () => {
  it('the element focused before, while it is on the page', () => {
    const d = doc(`<a id="link" href="/p"><img id="img" src="a.png"></a><button id="other">x</button>`);
    expect(focusReturnTarget(d.getElementById('other'), d.getElementById('img'))?.id).toBe('other');
  });

  it('the link around the image when nothing had focus', () => {
    const d = doc(`<a id="link" href="/p"><span><img id="img" src="a.png"></span></a>`);
    expect(focusReturnTarget(null, d.getElementById('img'))?.id).toBe('link');
  });

  it('the link around the image when the element focused before is gone', () => {
    const d = doc(`<a id="link" href="/p"><img id="img" src="a.png"></a><button id="gone">x</button>`);
    const gone = d.getElementById('gone')!;
    gone.remove();
    expect(focusReturnTarget(gone, d.getElementById('img'))?.id).toBe('link');
  });

  it('an image button itself', () => {
    const d = doc(`<input id="go" type="image" src="go.png">`);
    expect(focusReturnTarget(null, d.getElementById('go'))?.id).toBe('go');
  });

  it('nowhere for a bare image and no earlier focus (the browser keeps it on the body)', () => {
    const d = doc(`<p><img id="img" src="a.png"></p>`);
    expect(focusReturnTarget(null, d.getElementById('img'))).toBeNull();
    expect(focusReturnTarget(null, null)).toBeNull();
  });
});

describe('isScriptlessFrameDocument: frames our content script does not run in', () => {
  it.each([
    { url: 'about:blank', scriptless: true },
    { url: 'about:srcdoc', scriptless: true },
    { url: 'blob:https://news.example/5d1c', scriptless: true },
    { url: 'https://news.example/frame.html', scriptless: false },
    { url: 'http://127.0.0.1:8080/a', scriptless: false },
    { url: 'file:///home/me/page.html', scriptless: false },
  ])('$url', ({ url, scriptless }) => {
    expect(isScriptlessFrameDocument(url)).toBe(scriptless);
  });
});
