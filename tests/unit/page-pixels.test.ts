import { describe, expect, it } from 'vitest';
import { pageCanReadPixels } from '@/lib/page/page-pixels';

describe('pageCanReadPixels', () => {
  const page = 'https://news.example';
  it.each([
    { name: 'its own origin’s image', src: 'https://news.example/private/photo.png', crossOrigin: null, readable: true },
    { name: 'a cross-origin image loaded with CORS', src: 'https://cdn.example/a.png', crossOrigin: 'anonymous', readable: true },
    { name: 'a cross-origin image without CORS (a bank’s, behind its cookie)', src: 'https://bank.example/statement.png', crossOrigin: null, readable: false },
    { name: 'a private-network address', src: 'http://127.0.0.1:8080/camera.jpg', crossOrigin: null, readable: false },
    { name: 'the same host on another port', src: 'https://news.example:8443/a.png', crossOrigin: null, readable: false },
    { name: 'the same host over http', src: 'http://news.example/a.png', crossOrigin: null, readable: false },
    { name: 'no address at all', src: '', crossOrigin: null, readable: false },
  ])('$name: $readable', ({ src, crossOrigin, readable }) => {
    expect(pageCanReadPixels({ currentSrc: src, crossOrigin }, page)).toBe(readable);
  });
});
