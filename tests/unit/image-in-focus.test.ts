import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { chooseAcrossFrames, imageOfTarget, mostRecent } from '@/lib/page/image-in-focus';

function doc(html: string): Document {
  return parseHTML(`<!doctype html><html><body>${html}</body></html>`).document as unknown as Document;
}
const shown = () => true;

describe('imageOfTarget: the image an element with focus or under the pointer stands for', () => {
  it('an image is itself', () => {
    const d = doc(`<img id="i" src="https://news.example/a.png">`);
    expect(imageOfTarget(d.getElementById('i'), shown)?.id).toBe('i');
  });

  it.each([
    { case: 'a link', html: `<a id="t" href="/story"><span>Story</span><img id="i" src="https://news.example/a.png"></a>` },
    { case: 'a button', html: `<button id="t"><img id="i" src="https://news.example/a.png"> Play</button>` },
    { case: 'a role=link', html: `<div id="t" role="link" tabindex="0"><img id="i" src="https://news.example/a.png"></div>` },
    { case: 'text inside a link', html: `<a href="/story"><img id="i" src="https://news.example/a.png"><span id="t">Story</span></a>` },
  ])('the image inside $case', ({ html }) => {
    const d = doc(html);
    expect(imageOfTarget(d.getElementById('t'), shown)?.id).toBe('i');
  });

  it('the first shown image of a link with several', () => {
    const d = doc(`<a id="t" href="/"><img id="hidden" class="mobile" src="https://x/s.png"><img id="i" src="https://x/l.png"></a>`);
    expect(imageOfTarget(d.getElementById('t'), (el) => !el.classList.contains('mobile'))?.id).toBe('i');
  });

  it.each([
    { case: 'a link without an image', html: `<a id="t" href="/">Home</a>` },
    { case: 'a paragraph next to an image', html: `<p id="t">Caption</p><img src="https://x/a.png">` },
    { case: 'an image with no source yet', html: `<img id="t">` },
    { case: 'a text field', html: `<input id="t" type="text">` },
  ])('nothing for $case', ({ html }) => {
    const d = doc(html);
    expect(imageOfTarget(d.getElementById('t'), shown)).toBeNull();
  });

  it('nothing for nothing', () => {
    expect(imageOfTarget(null, shown)).toBeNull();
  });
});

describe('mostRecent: focus or pointer, whichever the reader turned to last', () => {
  const focus = { what: 'focus', at: 100 };
  const pointer = { what: 'pointer', at: 200 };
  it.each([
    { case: 'the pointer moved after focus did', f: focus, p: pointer, want: 'pointer' },
    { case: 'focus moved after the pointer did', f: { ...focus, at: 300 }, p: pointer, want: 'focus' },
    { case: 'a tie goes to focus', f: { ...focus, at: 200 }, p: pointer, want: 'focus' },
    { case: 'only focus', f: focus, p: null, want: 'focus' },
    { case: 'only the pointer', f: null, p: pointer, want: 'pointer' },
    { case: 'neither', f: null, p: null, want: undefined },
  ])('$case', ({ f, p, want }) => {
    expect(mostRecent(f, p)?.what).toBe(want);
  });
});

describe('chooseAcrossFrames', () => {
  it('the frame whose image the reader turned to last', () => {
    expect(
      chooseAcrossFrames([
        { frameId: 0, image: { srcUrl: 'https://a/top.png', at: 10 } },
        { frameId: 3, image: null },
        { frameId: 5, image: { srcUrl: 'https://b/framed.png', at: 20 } },
      ]),
    ).toEqual({ frameId: 5, srcUrl: 'https://b/framed.png' });
  });

  it('a frame whose script started late (focus time unknown, 0) still counts when it is the only one', () => {
    expect(chooseAcrossFrames([{ frameId: 0, image: { srcUrl: 'https://a/top.png', at: 0 } }])).toEqual({ frameId: 0, srcUrl: 'https://a/top.png' });
  });

  it('null when no frame has an image in focus or under the pointer', () => {
    expect(chooseAcrossFrames([{ frameId: 0, image: null }, { frameId: 2, image: null }])).toBeNull();
    expect(chooseAcrossFrames([])).toBeNull();
  });
});
