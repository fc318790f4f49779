import { describe, expect, it } from 'vitest';
import { checkModelHost, checkSiteHostname, modelConfigUrl } from '@/lib/host-check';
import { CAPTION_MODELS } from '@/lib/models';

describe('checkModelHost', () => {
  it.each([
    ['https://huggingface.co/', 'https://huggingface.co/'],
    ['https://huggingface.co', 'https://huggingface.co/'],
    ['  https://HF-Mirror.example.org//  ', 'https://hf-mirror.example.org/'],
    ['https://mirror.example/hub', 'https://mirror.example/hub/'],
    ['https://mirror.example:8443/hub///', 'https://mirror.example:8443/hub/'],
    ['http://localhost:1234/', 'http://localhost:1234/'],
    ['http://localhost', 'http://localhost/'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/'],
    ['http://[::1]:9000/models/', 'http://[::1]:9000/models/'],
  ])('accepts %j as %j', (input, stored) => {
    expect(checkModelHost(input)).toEqual({ ok: true, value: stored });
  });

  it.each([
    ['', /Enter the address/],
    ['   ', /Enter the address/],
    ['huggingface.co', /not a web address/],
    ['not a url', /not a web address/],
    ['http://example.com', /Use https:\/\/.*localhost/],
    ['http://192.168.1.10:8000/', /Use https:\/\//],
    ['http://localhost.example.com/', /Use https:\/\//],
    ['http://127.0.0.2/', /Use https:\/\//],
    ['ftp://mirror.example/', /must start with https/],
    ['file:///models/', /must start with https/],
    ['javascript:alert(1)', /must start with https/],
    ['https://user:secret@mirror.example/', /user name and password/],
    ['https://mirror.example/?token=1', /after \? or #/],
    ['https://mirror.example/#hub', /after \? or #/],
    ['https://mirror.example/?', /after \? or #/],
  ])('refuses %j, saying why', (input, reason) => {
    const checked = checkModelHost(input);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.reason).toMatch(reason);
  });
});

describe('modelConfigUrl', () => {
  it('points at config.json at the revision, as a download would fetch it', () => {
    expect(modelConfigUrl('https://huggingface.co/', 'Mozilla/distilvit', 'main')).toBe('https://huggingface.co/Mozilla/distilvit/resolve/main/config.json');
    expect(modelConfigUrl('http://localhost:1234', 'a/b', 'v1/x')).toBe('http://localhost:1234/a/b/resolve/v1%2Fx/config.json');
  });
});

describe('checkSiteHostname', () => {
  it.each([
    ['example.com', 'example.com'],
    ['  Example.COM. ', 'example.com'],
    ['https://news.example.org/page?x=1#y', 'news.example.org'],
    ['http://localhost:8080/', 'localhost'],
    ['example.com:8080', 'example.com'],
    ['127.0.0.1', '127.0.0.1'],
    ['bücher.de', 'xn--bcher-kva.de'],
    ['http://[::1]:3000/', '[::1]'],
  ])('accepts %j as %j', (input, stored) => {
    expect(checkSiteHostname(input)).toEqual({ ok: true, value: stored });
  });

  it.each([
    ['', /Enter a site/],
    ['example.com/page', /only the site name/],
    ['user@example.com', /only the site name/],
    ['exa mple.com', /only the site name/],
    ['ftp://example.com', /http or https/],
    ['-bad-.com', /not a valid site name/],
    ['under_score.example', /not a valid site name/],
  ])('refuses %j, saying why', (input, reason) => {
    const checked = checkSiteHostname(input);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.reason).toMatch(reason);
  });
});

describe('catalog download sizes', () => {
  it('gives every catalog model a plausible size on each backend, larger at full precision', () => {
    for (const model of CAPTION_MODELS) {
      const sizes = model.approxDownloadBytes;
      expect(sizes, model.id).toBeDefined();
      for (const bytes of Object.values(sizes!)) expect(bytes).toBeGreaterThan(50_000_000);
      if (model.dtype.webgpu === 'fp32' && model.dtype.wasm === 'q8') expect(sizes!.webgpu).toBeGreaterThan(sizes!.wasm);
    }
  });
});
