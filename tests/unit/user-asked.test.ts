import { describe, expect, it } from 'vitest';
import { USER_ASKED_GRANT_MS, UserAskedGrants } from '@/lib/engine/user-asked';
import { fakeSessionArea } from '../support/session-area';

const URL_A = 'https://news.example/a.png';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('UserAskedGrants', () => {
  it('nothing is granted without a click', async () => {
    expect(await new UserAskedGrants(fakeSessionArea().area, clock().now).has(4, 0, URL_A)).toBe(false);
  });

  it('a click grants that image’s reads (the panel’s and its Retry) while it lasts', async () => {
    const grants = new UserAskedGrants(fakeSessionArea().area, clock().now);
    await grants.grant(4, 0, URL_A);
    expect(await grants.has(4, 0, URL_A)).toBe(true);
    expect(await grants.has(4, 0, URL_A)).toBe(true);
  });

  it.each([
    { case: 'another tab', tabId: 5, frameId: 0, url: URL_A },
    { case: 'another frame of the tab', tabId: 4, frameId: 2, url: URL_A },
    { case: 'another image', tabId: 4, frameId: 0, url: 'https://news.example/b.png' },
    { case: 'the same image with a query', tabId: 4, frameId: 0, url: `${URL_A}?x=1` },
    { case: 'the same image, other case', tabId: 4, frameId: 0, url: URL_A.toUpperCase() },
  ])('grants nothing to $case', async ({ tabId, frameId, url }) => {
    const grants = new UserAskedGrants(fakeSessionArea().area, clock().now);
    await grants.grant(4, 0, URL_A);
    expect(await grants.has(tabId, frameId, url)).toBe(false);
    expect(await grants.has(4, 0, URL_A)).toBe(true);
  });

  it(`expires ${USER_ASKED_GRANT_MS} ms after the click`, async () => {
    const c = clock();
    const grants = new UserAskedGrants(fakeSessionArea().area, c.now);
    await grants.grant(4, 0, URL_A);
    c.advance(USER_ASKED_GRANT_MS - 1);
    expect(await grants.has(4, 0, URL_A)).toBe(true);
    c.advance(1);
    expect(await grants.has(4, 0, URL_A)).toBe(false);
  });

  it('a second click renews the grant', async () => {
    const c = clock();
    const grants = new UserAskedGrants(fakeSessionArea().area, c.now);
    await grants.grant(4, 0, URL_A);
    c.advance(USER_ASKED_GRANT_MS / 2);
    await grants.grant(4, 0, URL_A);
    c.advance(USER_ASKED_GRANT_MS / 2 + 1); // past the first click's expiry
    expect(await grants.has(4, 0, URL_A)).toBe(true);
    c.advance(USER_ASKED_GRANT_MS / 2);
    expect(await grants.has(4, 0, URL_A)).toBe(false);
  });

  it('each grant keeps its own expiry', async () => {
    const c = clock();
    const grants = new UserAskedGrants(fakeSessionArea().area, c.now);
    await grants.grant(4, 0, URL_A);
    c.advance(USER_ASKED_GRANT_MS / 2);
    await grants.grant(4, 1, URL_A);
    c.advance(USER_ASKED_GRANT_MS / 2);
    expect(await grants.has(4, 0, URL_A)).toBe(false);
    expect(await grants.has(4, 1, URL_A)).toBe(true);
  });

  it('outlives the background that made it: a restarted one still honours it, until it expires', async () => {
    const c = clock();
    const { area } = fakeSessionArea();
    await new UserAskedGrants(area, c.now).grant(4, 0, URL_A);
    c.advance(45_000); // the worker stopped after 30 s without events
    const restarted = new UserAskedGrants(area, c.now);
    expect(await restarted.has(4, 0, URL_A)).toBe(true);
    expect(await restarted.has(5, 0, URL_A)).toBe(false);
    c.advance(USER_ASKED_GRANT_MS - 45_000);
    expect(await restarted.has(4, 0, URL_A)).toBe(false);
  });

  it('a grant holds in this background when storage refuses it', async () => {
    const grants = new UserAskedGrants(fakeSessionArea({ quotaBytes: 0 }).area, clock().now);
    await grants.grant(4, 0, URL_A);
    expect(await grants.has(4, 0, URL_A)).toBe(true);
  });

  it('a read asked right after the click sees its grant', async () => {
    const grants = new UserAskedGrants(fakeSessionArea().area, clock().now);
    const granted = grants.grant(4, 0, URL_A);
    expect(await grants.has(4, 0, URL_A)).toBe(true);
    await granted;
  });
});
