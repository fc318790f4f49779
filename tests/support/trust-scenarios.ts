/**
 * Steps both trust suites take, in Chromium (Playwright) and in Firefox (puppeteer): each takes the few
 * things it needs of a browser as functions, so the steps are written once. What differs by browser
 * (frames, tabs, where the engine lives) stays in the suites.
 */
import { expect } from 'vitest';
import * as v from 'valibot';
import { ENGINE_MESSAGES } from '@/lib/messages';
import { waitFor } from '../e2e/extension';
import { framesCaptioned, type forbiddenContentScriptMessages, type TrustSites } from './servers';

/** What a scenario does with a tab: both Playwright's and puppeteer's pages have these. */
export interface ScenarioTab {
  evaluate<T>(fn: () => T): Promise<T>;
  close(): Promise<unknown>;
}

export interface ScenarioBrowser<P extends ScenarioTab> {
  /** Opens `url` in a new tab, once it has loaded. */
  open(url: string): Promise<P>;
  /**
   * Waits until `selector` in `page` has auto-fill's alt for `caption`, failing after `timeoutMs`. (`P` is
   * the type `open` gives: a suite's waitForAlt may take frames too.)
   */
  waitForAlt(page: NoInfer<P>, selector: string, caption: string, timeoutMs: number): Promise<unknown>;
}

/** A trust site's page with nothing but one 120×120 image, `image` (a path on `origin` or a URL). */
export function singleImagePage(origin: string, image: string): string {
  return `${origin}/trust/framed.html?src=${encodeURIComponent(image)}`;
}

/**
 * A news.example page of 200 framed images asks for ~200 captions at once; once it has its first two,
 * another tab opens with one image. Returns how many framed images had been captioned when that tab's
 * image was: fewer than 200 means the other tab was not starved. Closes both tabs.
 */
export async function framedImagesBeforeAnotherTab<P extends ScenarioTab>(sites: TrustSites, browser: ScenarioBrowser<P>): Promise<number> {
  const frames = await browser.open(`${sites.news.origin}/trust/many-frames.html?count=200&tag=fair`);
  let other: P | undefined;
  try {
    await waitFor('the 200 frames to load', () => frames.evaluate(() => document.readyState === 'complete'), 90_000);
    // The engine is busy with the framed page, which has asked for ~200 captions at once.
    await waitFor('the framed page to get its first captions', async () => (await frames.evaluate(framesCaptioned)) >= 2, 90_000);
    other = await browser.open(singleImagePage(sites.news.origin, '/images/green-triangle.png?fair-other'));
    await browser.waitForAlt(other, 'img', 'a green triangle', 150_000);
    return await frames.evaluate(framesCaptioned);
  } finally {
    await Promise.all([other, frames].map((p) => p?.close().catch(() => undefined)));
  }
}

/** A reply to a message sent from a content script: the protocol's reply, or the error sendMessage threw. */
export interface ContentScriptReply {
  reply?: { ok?: boolean; error?: string; value?: { ok?: boolean; reason?: string; released?: boolean } } | null;
  error?: string;
}

/** Not done: an error, a refusal, or a job that failed. */
export function refused(r: ContentScriptReply): boolean {
  return !(r.reply && r.reply.ok === true && (r.reply.value?.ok ?? true) === true);
}

/** Why: the protocol's refusal ("… is not accepted from …", "… invalid payload …"), or the job's failure reason. */
export function refusalReason(r: ContentScriptReply): string {
  return r.reply?.error ?? r.reply?.value?.reason ?? r.error ?? '';
}

/**
 * What a page's top frame may send but must be refused, each for the right reason; `send` sends a message
 * from the extension's content script in that frame. What is left to check is the browser's: that the
 * engine is still there, and the frame and tab cases of region.capture.
 */
export async function expectTopFrameRefusals(
  send: (message: object) => Promise<ContentScriptReply>,
  forbidden: ReturnType<typeof forbiddenContentScriptMessages>,
): Promise<void> {
  // 1. Straight to the engine, past the background and its fetch policy: a well-formed job it would run
  // (checked against the protocol's own schema, so only the sender can be why it is refused).
  expect(v.safeParse(ENGINE_MESSAGES['engine.run'].req, forbidden.engineRun.payload).issues, 'the forged engine.run is well-formed').toBeUndefined();
  const forgedRun = await send(forbidden.engineRun);
  expect(refused(forgedRun), `engine.run from a content script: ${JSON.stringify(forgedRun)}`).toBe(true);
  expect(refusalReason(forgedRun), 'refused for who sent it').toMatch(/not accepted/);

  // 2. Who asks is the sender, not the payload: a job claiming bank.example's origin and the user's consent…
  const forgedRequester = await send(forbidden.forgedRequester);
  expect(refused(forgedRequester), `job.request with a forged requester: ${JSON.stringify(forgedRequester)}`).toBe(true);
  // …and an ordinary "user" request for it, which the page can send but not make true.
  const claimedUser = await send(forbidden.claimedUser);
  expect(refused(claimedUser), `job.request claiming the user asked: ${JSON.stringify(claimedUser)}`).toBe(true);
  expect(refusalReason(claimedUser), 'fetched without the reader’s bank.example cookie').toBe('needs-sign-in');

  // 3. "The engine is idle, close it" is the engine host's to say, not a page's.
  const forgedIdle = await send(forbidden.engineIdle);
  expect(forgedIdle.reply?.ok === true && forgedIdle.reply.value?.released === true, `engine.idle: ${JSON.stringify(forgedIdle)}`).toBe(false);
  expect(refusalReason(forgedIdle)).toMatch(/not accepted/);
}
