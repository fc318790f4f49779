import { describe, expect, it } from 'vitest';
import type { PageImageReport } from '../../lib/messages';
import {
  EMBEDDED_IMAGE_NAME,
  MAX_IMAGE_NAME_CHARS,
  MAX_THUMBNAIL_DATA_URL_CHARS,
  groupFailures,
  shortImageName,
  thumbnailSrc,
} from '../../lib/page/report';

const PNG_DATA_URL = `data:image/png;base64,${'iVBORw0KGgo'.repeat(110)}`;

describe('shortImageName', () => {
  it.each([
    ['the file name of the path', 'https://news.example/media/2024/red-circle.png', 'red-circle.png'],
    ['without query or fragment', 'https://news.example/images/red-circle.png?input#x', 'red-circle.png'],
    ['decoded', 'https://news.example/photos/caf%C3%A9%20au%20lait.jpg', 'café au lait.jpg'],
    ['a trailing slash skipped', 'https://news.example/gallery/sunset/', 'sunset'],
    ['the host when the path is empty', 'https://cdn.news.example/', 'cdn.news.example'],
    ['a bad escape kept as written', 'https://news.example/100%.png', '100%.png'],
    ['control characters dropped', 'https://news.example/a%0Ab%09c.png', 'abc.png'],
    ['bidi overrides dropped', 'https://news.example/%E2%80%AEgnp.exe', 'gnp.exe'],
    ['spaces collapsed', 'https://news.example/a%20%20%20b.png', 'a b.png'],
  ])('%s', (_name, url, want) => {
    expect(shortImageName(url)).toBe(want);
  });

  it('never shows a data: or blob: URL', () => {
    expect(shortImageName(PNG_DATA_URL)).toBe(EMBEDDED_IMAGE_NAME);
    expect(shortImageName('DATA:image/svg+xml,<svg/>')).toBe(EMBEDDED_IMAGE_NAME);
    expect(shortImageName('blob:https://news.example/0b6e6c1e-9a4c-4d1e-8f43-2b0f3c1a7d55')).toBe(EMBEDDED_IMAGE_NAME);
  });

  it('names what it cannot parse "Image", not the text', () => {
    expect(shortImageName('not a url')).toBe('Image');
    expect(shortImageName('javascript:alert(1)')).toBe('Image');
    expect(shortImageName('')).toBe('Image');
  });

  it(`keeps long names to ${MAX_IMAGE_NAME_CHARS} characters, start and extension kept`, () => {
    const name = shortImageName(`https://news.example/${'very-long-descriptive-file-name-'.repeat(4)}final.webp`);
    expect([...name].length).toBe(MAX_IMAGE_NAME_CHARS);
    expect(name.startsWith('very-long-descriptive')).toBe(true);
    expect(name).toMatch(/…\S*\.webp$/);
  });

  it('elides a long name without an extension too', () => {
    const name = shortImageName(`https://news.example/${'x'.repeat(100)}`);
    expect([...name].length).toBe(MAX_IMAGE_NAME_CHARS);
    expect(name).toContain('…');
  });

  it('counts characters, not UTF-16 units', () => {
    const name = shortImageName(`https://news.example/${encodeURIComponent('🐱'.repeat(60))}.png`);
    expect([...name].length).toBe(MAX_IMAGE_NAME_CHARS);
    expect(name).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no half of a surrogate pair
  });
});

describe('thumbnailSrc', () => {
  it('draws data: images, which cost no request', () => {
    expect(thumbnailSrc(PNG_DATA_URL)).toBe(PNG_DATA_URL);
    expect(thumbnailSrc('data:image/svg+xml,%3Csvg%2F%3E')).toBe('data:image/svg+xml,%3Csvg%2F%3E');
  });

  it('never fetches: http(s) and blob: images get the generic icon', () => {
    expect(thumbnailSrc('https://news.example/a.png')).toBeNull();
    expect(thumbnailSrc('http://news.example/a.png')).toBeNull();
    expect(thumbnailSrc('blob:https://news.example/0b6e6c1e')).toBeNull();
  });

  it('refuses what is not an image, and data: URLs too big to decode for a thumbnail', () => {
    expect(thumbnailSrc('data:text/html,<script>alert(1)</script>')).toBeNull();
    expect(thumbnailSrc(`data:image/png;base64,${'A'.repeat(MAX_THUMBNAIL_DATA_URL_CHARS)}`)).toBeNull();
  });
});

describe('groupFailures', () => {
  const failed = (imageUrl: string, reason: string | null): PageImageReport => ({ imageUrl, state: 'failed', caption: null, reason });
  const captioned = (imageUrl: string): PageImageReport => ({ imageUrl, state: 'captioned', caption: 'a red circle', reason: null });
  const LOAD_FAILED = 'The captioning model could not be loaded';
  const modelDown = (file: string) =>
    `${LOAD_FAILED}: AltSight could not reach 127.0.0.1:9 for ${file}: the host refused the connection.`;

  it('tells a cause many images share once, and marks those images', () => {
    const images = [failed('/a.png', modelDown('tokenizer.json')), failed('/b.png', modelDown('tokenizer.json')), failed('/c.png', modelDown('tokenizer.json')), captioned('/d.png')];
    const groups = groupFailures(images);
    expect(groups.shared).toEqual([
      { headline: `${LOAD_FAILED}.`, detail: 'AltSight could not reach 127.0.0.1:9 for tokenizer.json: the host refused the connection.', count: 3 },
    ]);
    expect(groups.failedCount).toBe(3);
    expect(images.map((i) => groups.isShared(i))).toEqual([true, true, true, false]);
  });

  it('groups one cause whose detail differs per image (the file a download stopped at), with the most common detail', () => {
    const images = [failed('/a', modelDown('preprocessor_config.json')), failed('/b', modelDown('tokenizer.json')), failed('/c', modelDown('preprocessor_config.json'))];
    const groups = groupFailures(images);
    expect(groups.shared).toHaveLength(1);
    expect(groups.shared[0]).toMatchObject({ headline: `${LOAD_FAILED}.`, count: 3 });
    expect(groups.shared[0]!.detail).toContain('preprocessor_config.json');
    expect(images.every((i) => groups.isShared(i))).toBe(true);
  });

  it('keeps distinct reasons with their images', () => {
    const images = [failed('/a.png', 'The image was not found (HTTP 404).'), failed('/b.png', 'The image is 30000×30000 pixels, too large to decode safely.'), failed('/c.png', modelDown('tokenizer.json'))];
    const groups = groupFailures(images);
    expect(groups.shared).toEqual([]);
    expect(images.some((i) => groups.isShared(i))).toBe(false);
    expect(groups.failedCount).toBe(3);
  });

  it('mixes both: the shared cause once, the odd one out on its image', () => {
    const images = [failed('/a.png', modelDown('x')), failed('/b.png', 'The image was not found (HTTP 404).'), failed('/c.png', ` ${modelDown('x')} `)];
    const groups = groupFailures(images);
    expect(groups.shared).toMatchObject([{ headline: `${LOAD_FAILED}.`, count: 2 }]);
    expect(images.map((i) => groups.isShared(i))).toEqual([true, false, true]);
  });

  it('groups the same message without a detail as it is', () => {
    const groups = groupFailures([failed('/1', 'The image was not found (HTTP 404).'), failed('/2', 'The image was not found (HTTP 404).')]);
    expect(groups.shared).toEqual([{ headline: 'The image was not found (HTTP 404).', detail: null, count: 2 }]);
  });

  it('does not take a short prefix ("Error: …") or a URL\'s colon for a cause', () => {
    const groups = groupFailures([
      failed('/1', 'Error: the tab was closed'),
      failed('/2', 'Error: out of memory'),
      failed('/3', 'Could not fetch https://news.example/a.png'),
      failed('/4', 'Could not fetch https://news.example/b.png'),
    ]);
    expect(groups.shared).toEqual([]);
  });

  it('orders shared causes by how many images they cover', () => {
    const groups = groupFailures([failed('/1', 'B'), failed('/2', 'A'), failed('/3', 'A'), failed('/4', 'B'), failed('/5', 'A')]);
    expect(groups.shared.map((s) => [s.headline, s.count])).toEqual([['A.', 3], ['B.', 2]]);
  });

  it('groups failures that came without a reason under one', () => {
    const groups = groupFailures([failed('/1', null), failed('/2', '')]);
    expect(groups.shared).toEqual([{ headline: 'Unknown error.', detail: null, count: 2 }]);
  });

  it('has nothing to say about a page without failures', () => {
    const groups = groupFailures([captioned('/a.png'), { imageUrl: '/b.png', state: 'pending', caption: null, reason: null }]);
    expect(groups).toMatchObject({ shared: [], failedCount: 0 });
  });
});
