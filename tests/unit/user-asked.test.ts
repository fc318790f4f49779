import { describe, expect, it } from 'vitest';
import { USER_ASKED_GRANT_MS, UserAskedGrants } from '@/lib/engine/user-asked';

const URL_A = 'https://news.example/a.png';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('UserAskedGrants', () => {
  it('nothing is granted without a click', () => {
    expect(new UserAskedGrants(clock().now).has(4, 0, URL_A)).toBe(false);
  });

  it('a click grants that image’s reads (the panel’s and its Retry) while it lasts', () => {
    const grants = new UserAskedGrants(clock().now);
    grants.grant(4, 0, URL_A);
    expect(grants.has(4, 0, URL_A)).toBe(true);
    expect(grants.has(4, 0, URL_A)).toBe(true);
  });

  it.each([
    { case: 'another tab', tabId: 5, frameId: 0, url: URL_A },
    { case: 'another frame of the tab', tabId: 4, frameId: 2, url: URL_A },
    { case: 'another image', tabId: 4, frameId: 0, url: 'https://news.example/b.png' },
    { case: 'the same image with a query', tabId: 4, frameId: 0, url: `${URL_A}?x=1` },
    { case: 'the same image, other case', tabId: 4, frameId: 0, url: URL_A.toUpperCase() },
  ])('grants nothing to $case', ({ tabId, frameId, url }) => {
    const grants = new UserAskedGrants(clock().now);
    grants.grant(4, 0, URL_A);
    expect(grants.has(tabId, frameId, url)).toBe(false);
    expect(grants.has(4, 0, URL_A)).toBe(true);
  });

  it(`expires ${USER_ASKED_GRANT_MS} ms after the click`, () => {
    const c = clock();
    const grants = new UserAskedGrants(c.now);
    grants.grant(4, 0, URL_A);
    c.advance(USER_ASKED_GRANT_MS - 1);
    expect(grants.has(4, 0, URL_A)).toBe(true);
    c.advance(1);
    expect(grants.has(4, 0, URL_A)).toBe(false);
  });

  it('a second click renews the grant', () => {
    const c = clock();
    const grants = new UserAskedGrants(c.now);
    grants.grant(4, 0, URL_A);
    c.advance(USER_ASKED_GRANT_MS / 2);
    grants.grant(4, 0, URL_A);
    c.advance(USER_ASKED_GRANT_MS / 2 + 1); // past the first click's expiry
    expect(grants.has(4, 0, URL_A)).toBe(true);
    c.advance(USER_ASKED_GRANT_MS / 2);
    expect(grants.has(4, 0, URL_A)).toBe(false);
  });

  it('each grant keeps its own expiry', () => {
    const c = clock();
    const grants = new UserAskedGrants(c.now);
    grants.grant(4, 0, URL_A);
    c.advance(USER_ASKED_GRANT_MS / 2);
    grants.grant(4, 1, URL_A);
    c.advance(USER_ASKED_GRANT_MS / 2);
    expect(grants.has(4, 0, URL_A)).toBe(false);
    expect(grants.has(4, 1, URL_A)).toBe(true);
  });
});
