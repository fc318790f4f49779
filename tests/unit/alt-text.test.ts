import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { forgetGeneratedAlt, isGeneratedAlt, isOwnAltWrite, undoGeneratedAlt, writeGeneratedAlt } from '@/lib/page/alt-text';

function img(html: string): Element {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return document.querySelector('img')!;
}
const generated = { caption: 'a red circle', modelId: 'Mozilla/distilvit', prefix: 'Auto-generated: ', imageUrl: 'https://x/a.png' };

describe('generated alt text', () => {
  it('writes prefix + caption with markers, and undo removes the alt it added', () => {
    const el = img('<img src="a.png">');
    expect(writeGeneratedAlt(el, generated)).toBe('Auto-generated: a red circle');
    expect(el.getAttribute('alt')).toBe('Auto-generated: a red circle');
    expect(el.getAttribute('data-altsight')).toBe('generated');
    expect(el.getAttribute('data-altsight-model')).toBe('Mozilla/distilvit');
    expect(isGeneratedAlt(el)).toBe(true);
    expect(undoGeneratedAlt(el)).toBe(true);
    expect(el.outerHTML).toBe('<img src="a.png">');
  });

  it('knows its own write from the author’s, whoever wrote it for us (auto-fill or the panel)', () => {
    const el = img('<img src="a.png" alt="My favourite shape">');
    writeGeneratedAlt(el, generated);
    expect(isOwnAltWrite(el, el.getAttribute('alt'))).toBe(true);
    el.setAttribute('alt', 'The author’s own words');
    expect(isOwnAltWrite(el, el.getAttribute('alt'))).toBe(false);
    forgetGeneratedAlt(el);
    expect(isOwnAltWrite(el, 'Auto-generated: a red circle')).toBe(false); // no longer ours at all
    expect(isOwnAltWrite(img('<img src="b.png" alt="x">'), 'x')).toBe(false);
  });

  it('restores a replaced placeholder alt exactly', () => {
    const el = img('<img src="a.png" alt="IMG_1234.jpg">');
    writeGeneratedAlt(el, generated);
    writeGeneratedAlt(el, { ...generated, caption: 'a blue square' }); // refreshed: the original is kept
    expect(el.getAttribute('alt')).toBe('Auto-generated: a blue square');
    undoGeneratedAlt(el);
    expect(el.outerHTML).toBe('<img src="a.png" alt="IMG_1234.jpg">');
  });

  it('an empty prefix writes the bare caption', () => {
    const el = img('<img src="a.png">');
    writeGeneratedAlt(el, { ...generated, prefix: '' });
    expect(el.getAttribute('alt')).toBe('a red circle');
  });

  it('treats model output as text: markup stays inert inside the attribute', () => {
    const el = img('<img src="a.png">');
    writeGeneratedAlt(el, { ...generated, caption: '"><script>alert(1)</script>' });
    expect(el.getAttribute('alt')).toBe('Auto-generated: "><script>alert(1)</script>');
    expect(el.ownerDocument.querySelector('script')).toBeNull();
  });

  it('undo leaves author alt text alone', () => {
    const el = img('<img src="a.png" alt="A cat">');
    expect(undoGeneratedAlt(el)).toBe(false);
    expect(el.getAttribute('alt')).toBe('A cat');
  });
});
