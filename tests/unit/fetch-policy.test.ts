import { describe, expect, it } from 'vitest';
import { isLocalNetworkHost, isSameOriginAsRequester, planImageFetch, planRedirectHop } from '@/lib/images/fetch-policy';
import type { ImageRequester } from '@/lib/engine/jobs';

const page = (frameOrigin: string, userAsked = false): ImageRequester => ({ frameOrigin, userAsked });
const NEWS = page('https://news.example');

describe('planImageFetch: cookies', () => {
  it.each([
    { case: 'same origin', url: 'https://news.example/a.png', requester: NEWS, credentials: 'include' },
    { case: 'same origin, default port spelled out', url: 'https://news.example:443/a.png', requester: NEWS, credentials: 'include' },
    { case: 'cross-origin', url: 'https://bank.example/statement.png', requester: NEWS, credentials: 'omit' },
    { case: 'subdomain is another origin', url: 'https://img.news.example/a.png', requester: NEWS, credentials: 'omit' },
    { case: 'http vs https is another origin', url: 'http://news.example/a.png', requester: NEWS, credentials: 'omit' },
    { case: 'cross-origin, user asked', url: 'https://bank.example/a.png', requester: page('https://news.example', true), credentials: 'include' },
    { case: 'opaque requester', url: 'https://news.example/a.png', requester: page('null'), credentials: 'omit' },
    { case: 'unparsable requester', url: 'https://news.example/a.png', requester: page('not an origin'), credentials: 'omit' },
    { case: 'file: requester', url: 'https://news.example/a.png', requester: page('file://'), credentials: 'omit' },
    { case: 'extension requester', url: 'https://news.example/a.png', requester: page('chrome-extension://abc'), credentials: 'omit' },
    { case: 'opaque requester, user asked', url: 'https://news.example/a.png', requester: page('null', true), credentials: 'include' },
  ] as const)('$case → $credentials', ({ url, requester, credentials }) => {
    expect(planImageFetch(url, requester)).toEqual({ allowed: true, credentials });
  });
});

describe('planImageFetch: what may be fetched at all', () => {
  it.each([
    'data:image/png;base64,AAAA',
    'blob:https://news.example/1234',
    'file:///etc/passwd',
    'ftp://news.example/a.png',
    'chrome-extension://abc/icon.png',
    'javascript:alert(1)',
    'not a url',
    '',
  ])('refuses %j as unsupported', (url) => {
    expect(planImageFetch(url, NEWS)).toMatchObject({ allowed: false, reason: 'unsupported-source' });
  });

  it('refuses addresses with a user name or password in them', () => {
    expect(planImageFetch('https://user:pw@bank.example/a.png', NEWS)).toMatchObject({ allowed: false, reason: 'unsupported-source' });
  });

  it('explains a refusal in words', () => {
    const plan = planImageFetch('http://192.168.1.1/status.png', NEWS);
    expect(plan.allowed).toBe(false);
    if (!plan.allowed) expect(plan.message).toMatch(/local network/);
  });
});

describe('planImageFetch: private network', () => {
  // Every way a page might spell a local address; the WHATWG parser normalises the IPv4 ones.
  it.each([
    'http://127.0.0.1/a.png',
    'http://127.8.9.10/a.png',
    'http://2130706433/a.png', // decimal
    'http://0x7f.1/a.png', // hex, short
    'http://0x7f000001/a.png',
    'http://0177.0.0.1/a.png', // octal
    'http://127.1/a.png', // short form
    'http://127.0.0.1./a.png', // trailing dot
    'http://１２７.０.０.１/a.png', // full-width digits
    'http://0.0.0.0/a.png',
    'http://0/a.png',
    'http://10.0.0.1/a.png',
    'http://100.64.0.1/a.png',
    'http://100.127.255.254/a.png',
    'http://169.254.169.254/latest/meta-data',
    'http://172.16.0.1/a.png',
    'http://172.31.255.255/a.png',
    'http://192.168.1.1/a.png',
    'http://198.18.0.1/a.png',
    'http://[::1]/a.png',
    'http://[0:0:0:0:0:0:0:1]/a.png',
    'http://[::]/a.png',
    'http://[::ffff:127.0.0.1]/a.png', // IPv4-mapped, serialised as [::ffff:7f00:1]
    'http://[::ffff:192.168.1.1]/a.png',
    'http://[::127.0.0.1]/a.png', // IPv4-compatible
    'http://[64:ff9b::a00:1]/a.png', // NAT64 of 10.0.0.1
    'http://[fc00::1]/a.png',
    'http://[fd12:3456:789a::1]/a.png',
    'http://[fe80::1]/a.png',
    'http://[febf::1]/a.png',
    'http://[fec0::1]/a.png',
    'http://localhost/a.png',
    'http://LOCALHOST./a.png',
    'http://localhost:8080/a.png',
    'http://app.localhost/a.png',
    'http://printer.local/a.png',
    'http://metadata.google.internal/a.png',
    'http://nas.home.arpa/a.png',
    'http://router.lan/a.png',
    'http://router/a.png', // single-label intranet name
    'https://intranet/a.png',
  ])('a public page never gets %s', (url) => {
    expect(planImageFetch(url, NEWS)).toMatchObject({ allowed: false, reason: 'private-network' });
    expect(planImageFetch(url, page('https://news.example', true))).toMatchObject({ allowed: false, reason: 'private-network' });
    expect(planImageFetch(url, page('null', true))).toMatchObject({ allowed: false, reason: 'private-network' });
  });

  it.each([
    'http://8.8.8.8/a.png',
    'http://11.0.0.1/a.png',
    'http://100.63.255.255/a.png',
    'http://100.128.0.1/a.png',
    'http://172.15.255.255/a.png',
    'http://172.32.0.1/a.png',
    'http://192.167.1.1/a.png',
    'http://169.253.1.1/a.png',
    'http://[2001:db8::1]/a.png',
    'http://[2606:4700::1111]/a.png',
    'http://[::ffff:8.8.8.8]/a.png',
    'http://[fbff::1]/a.png',
    'http://[fe7f::1]/a.png',
    'https://localhost.example.com/a.png',
    'https://local.example/a.png',
    'https://cdn.example/a.png',
  ])('a public page may fetch public %s', (url) => {
    expect(planImageFetch(url, NEWS)).toMatchObject({ allowed: true });
  });

  it.each([
    { requester: 'http://localhost:3000', url: 'http://127.0.0.1:3000/a.png' },
    { requester: 'http://127.0.0.1:8000', url: 'http://192.168.1.20/cam.jpg' },
    { requester: 'http://192.168.1.1', url: 'http://192.168.1.1/logo.png' },
    { requester: 'http://router', url: 'http://[fe80::1]/a.png' },
    { requester: 'http://[::1]:5173', url: 'http://localhost:5173/a.png' },
  ])('a page on $requester may fetch $url', ({ requester, url }) => {
    expect(planImageFetch(url, page(requester))).toMatchObject({ allowed: true });
  });

  it('lets our own extension pages (the benchmark) reach local test servers, without cookies unless asked', () => {
    expect(planImageFetch('http://127.0.0.1:8123/a.png', page('chrome-extension://abcdef'))).toEqual({ allowed: true, credentials: 'omit' });
    expect(planImageFetch('http://127.0.0.1:8123/a.png', page('moz-extension://1234', true))).toEqual({ allowed: true, credentials: 'include' });
  });

  it('keeps the cookie rule for local pages too', () => {
    expect(planImageFetch('http://localhost:3000/a.png', page('http://localhost:3000'))).toEqual({ allowed: true, credentials: 'include' });
    expect(planImageFetch('http://127.0.0.1:3000/a.png', page('http://localhost:3000'))).toEqual({ allowed: true, credentials: 'omit' });
  });
});

describe('planRedirectHop', () => {
  const planned = 'https://news.example/a.png';

  it('keeps cookies on a hop within the planned origin', () => {
    expect(planRedirectHop(planned, 'include', 'https://news.example/b.png', NEWS)).toEqual({ allowed: true, credentials: 'include' });
  });

  it('drops cookies on a hop to another origin, even when the user asked', () => {
    expect(planRedirectHop(planned, 'include', 'https://cdn.example/a.png', NEWS)).toEqual({ allowed: true, credentials: 'omit' });
    const asked = page('https://news.example', true);
    expect(planRedirectHop('https://bank.example/a.png', 'include', 'https://evil.example/a.png', asked)).toEqual({
      allowed: true,
      credentials: 'omit',
    });
  });

  it('never adds cookies a request was planned without', () => {
    expect(planRedirectHop('https://cdn.example/a.png', 'omit', 'https://news.example/a.png', NEWS)).toEqual({
      allowed: true,
      credentials: 'omit',
    });
  });

  it.each(['http://127.0.0.1/a.png', 'http://2130706433/', 'http://[::1]/', 'http://router/', 'file:///etc/passwd', 'data:,x'])(
    're-checks the hop target %s with the same policy',
    (hop) => {
      expect(planRedirectHop(planned, 'omit', hop, NEWS)).toMatchObject({ allowed: false });
      expect(planRedirectHop(planned, 'include', hop, page('https://news.example', true))).toMatchObject({ allowed: false });
    },
  );

  it('lets a local page follow a redirect on its own network', () => {
    expect(planRedirectHop('http://localhost/a', 'include', 'http://127.0.0.1/b', page('http://localhost'))).toEqual({
      allowed: true,
      credentials: 'omit',
    });
  });
});

describe('isLocalNetworkHost', () => {
  it('reads hostnames as URL gives them', () => {
    expect(new URL('http://0x7f.1/').hostname).toBe('127.0.0.1');
    expect(new URL('http://[::ffff:127.0.0.1]/').hostname).toBe('[::ffff:7f00:1]');
    expect(isLocalNetworkHost(new URL('http://[::ffff:127.0.0.1]/').hostname)).toBe(true);
    expect(isLocalNetworkHost('example.com')).toBe(false);
  });

  it('treats a bracketed host it cannot parse as local (fail closed)', () => {
    expect(isLocalNetworkHost('[zz::1]')).toBe(true);
  });

  it('accepts a dotted IPv4 tail in raw IPv6', () => {
    expect(isLocalNetworkHost('[::ffff:10.1.2.3]')).toBe(true);
    expect(isLocalNetworkHost('[::ffff:1.1.1.1]')).toBe(false);
  });
});

describe('isSameOriginAsRequester', () => {
  it.each([
    { url: 'https://news.example/x.png', origin: 'https://news.example', same: true },
    { url: 'https://news.example/x.png', origin: 'null', same: false },
    { url: 'https://cdn.example/x.png', origin: 'https://news.example', same: false },
  ])('$url from $origin → $same', ({ url, origin, same }) => {
    expect(isSameOriginAsRequester(url, page(origin))).toBe(same);
  });
});
