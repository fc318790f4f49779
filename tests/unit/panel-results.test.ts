import { describe, expect, it } from 'vitest';
import { MAX_PANEL_RESULTS, PanelResults } from '@/lib/page/panel-results';

const caption = (text: string) => ({ ok: true as const, result: 'caption' as const, text, modelId: 'm' });
const NOT_HANDWRITTEN = { looksHandwritten: false, read: false, needsDownload: false, approxDownloadBytes: null };

describe('PanelResults: what the reader got in the panel, for the popup', () => {
  it('lists a caption and a text read, marked as the panel’s', () => {
    const results = new PanelResults();
    results.note('https://x/a.png', 'caption', caption('a red circle'));
    results.note('https://x/t.png', 'read-text', { ok: true, result: 'image-text', text: 'Exit\nStairs', lines: [], modelId: 'ocr', handwriting: NOT_HANDWRITTEN });
    expect(results.report()).toEqual([
      { imageUrl: 'https://x/a.png', state: 'captioned', caption: 'a red circle', reason: null, source: 'panel-caption' },
      { imageUrl: 'https://x/t.png', state: 'captioned', caption: 'Exit\nStairs', reason: null, source: 'panel-read-text' },
    ]);
  });

  it('lists a failure with its reason, and Retry’s answer replaces it', () => {
    const results = new PanelResults();
    results.note('https://x/a.png', 'caption', { ok: false, reason: 'network', message: 'The image could not be downloaded.' });
    expect(results.report()).toEqual([
      { imageUrl: 'https://x/a.png', state: 'failed', caption: null, reason: 'The image could not be downloaded.', source: 'panel-caption' },
    ]);
    results.note('https://x/a.png', 'caption', caption('a red circle'));
    expect(results.report()).toHaveLength(1);
    expect(results.report()[0]?.caption).toBe('a red circle');
  });

  it('keeps a caption and a text read of one image apart', () => {
    const results = new PanelResults();
    results.note('https://x/a.png', 'caption', caption('a sign'));
    results.note('https://x/a.png', 'read-text', { ok: true, result: 'image-text', text: 'EXIT', lines: [], modelId: 'ocr', handwriting: NOT_HANDWRITTEN });
    expect(results.report().map((r) => r.source)).toEqual(['panel-caption', 'panel-read-text']);
  });

  it('leaves out cancelled requests and regions without an image', () => {
    const results = new PanelResults();
    results.note('https://x/a.png', 'caption', { ok: false, reason: 'cancelled', message: 'Cancelled.' });
    results.note('', 'read-text', caption('text'));
    expect(results.report()).toEqual([]);
  });

  it(`keeps the latest ${MAX_PANEL_RESULTS}`, () => {
    const results = new PanelResults();
    for (let i = 0; i < MAX_PANEL_RESULTS + 5; i++) results.note(`https://x/${i}.png`, 'caption', caption(`image ${i}`));
    const listed = results.report();
    expect(listed).toHaveLength(MAX_PANEL_RESULTS);
    expect(listed[0]?.imageUrl).toBe('https://x/5.png');
    expect(listed.at(-1)?.imageUrl).toBe(`https://x/${MAX_PANEL_RESULTS + 4}.png`);
  });
});
