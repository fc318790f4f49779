/**
 * Firefox suspends an event page (our engine host there) some time after its last extension event or
 * API call, even while it still owes a message its answer: a job longer than that (a model's first
 * download, a big page's text) used to die with "The message port closed before a response was received"
 * (lib/engine/keep-alive.ts). Here the idle timeout is cut from Firefox's 30 s to 8 s and a caption is
 * made to take longer than that, by an image that arrives after 12 s. It is asked from an extension
 * document that runs none of our scripts: our pages poll the engine's status, and each message they send
 * resets the timer too (a content script waiting for auto-fill's captions doesn't).
 *
 * A suspended page used to take the captures of selected regions with it: a reader who looked at the
 * text for longer than that, then asked for handwriting or a question about the selection, was told to
 * select again. They are kept in session storage now (lib/pending-captures.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import type { EngineStatus } from '@/lib/messages';
import type { JobOutcome } from '@/lib/engine/jobs';
import { launchFirefoxWithExtension, type FirefoxExtensionBrowser } from '../support/firefox';
import { startModelHost, startSite, type ModelHost, type Running } from '../support/servers';

const IDLE_TIMEOUT_MS = 8_000;
const IMAGE_DELAY_MS = 12_000;

type ExtensionGlobal = { browser: typeof chrome };

describe('Firefox event page', () => {
  let modelHost: ModelHost;
  let site: Running;
  let ext: FirefoxExtensionBrowser;
  /** A static file of the extension, opened in a tab: an extension document with the runtime API and no polling. */
  let quietPage: Page;

  beforeAll(async () => {
    [modelHost, site] = await Promise.all([startModelHost(), startSite('127.0.0.1')]);
    ext = await launchFirefoxWithExtension({ prefs: { 'extensions.background.idle.timeout': IDLE_TIMEOUT_MS } });
    await ext.setSettings({ modelHost: `${modelHost.origin}/`, modelId: 'altsight-test/tiny-shapes-captioner', backend: 'wasm' });
    quietPage = (await ext.openExtensionPage('/ocr-glyphs/classes.json')).page;
  }, 120_000);

  afterAll(async () => {
    await ext?.close();
    await Promise.all([modelHost, site].map((s) => s?.close()));
  });

  const send = <T>(name: string, payload: unknown) =>
    quietPage.evaluate(
      async ([n, p]) => {
        const reply = await (globalThis as unknown as ExtensionGlobal).browser.runtime.sendMessage({ altsight: 1, to: 'background', name: n, payload: p });
        if (!reply?.ok) throw new Error(reply?.error ?? `no answer to ${n}`);
        return reply.value;
      },
      [name, payload] as const,
    ) as Promise<T>;

  it('stays up through a job that outlasts its idle timeout, and answers it', async () => {
    const before = await send<EngineStatus & { modelRuns: number }>('engine.status', {});
    const started = Date.now();
    const outcome = await send<JobOutcome>('job.request', {
      job: { kind: 'caption', source: { kind: 'url', url: `${site.origin}/slow/red-circle.png?delayMs=${IMAGE_DELAY_MS}` } },
      priority: 'user',
      requestId: crypto.randomUUID(),
    });
    expect(Date.now() - started).toBeGreaterThan(IDLE_TIMEOUT_MS);
    expect(outcome).toMatchObject({ ok: true, text: 'a red circle' });
    // The same background page answered: a restarted one would count from zero.
    const after = await send<EngineStatus & { modelRuns: number }>('engine.status', {});
    expect(after.modelRuns).toBe(before.modelRuns + 1);
  }, 120_000);

  it('reads a selected region again after the page was suspended and woke', async () => {
    const page = await ext.openPage(`${site.origin}/`);
    await page.bringToFront();
    const tabId = await ext.tabIdOf(page.url());
    // What the region reader sends, from the content script's world of the top frame.
    const ask = <T>(name: string, payload: unknown) =>
      ext.inContentScript(
        tabId,
        async (n: string, p: unknown) => ((await (globalThis as unknown as ExtensionGlobal).browser.runtime.sendMessage({ altsight: 1, to: 'background', name: n, payload: p })) as { value: unknown }).value,
        [name, payload],
      ) as Promise<T>;
    const runs = async () => (await send<EngineStatus & { modelRuns: number }>('engine.status', {})).modelRuns;

    const capture = await ask<{ ok: boolean; captureId: string }>('region.capture', { rect: { x: 0, y: 0, width: 400, height: 80 }, viewportWidthCss: 1200 });
    expect(capture.ok).toBe(true);
    const before = await runs();
    const first = await ask<{ ok: boolean; text?: string }>('region.read', { captureId: capture.captureId });
    expect(first).toMatchObject({ ok: true, text: expect.stringMatching(/test/i) });
    const runsOfOneRead = (await runs()) - before;

    await new Promise((r) => setTimeout(r, IDLE_TIMEOUT_MS + 4_000));
    const again = await ask<{ ok: boolean; text?: string }>('region.read', { captureId: capture.captureId });
    expect(again).toMatchObject({ ok: true, text: first.text });
    // A page that had been suspended counts this read's model runs only.
    expect(runsOfOneRead).toBeGreaterThan(0);
    expect(await runs()).toBe(runsOfOneRead);
    await page.close();
  }, 120_000);
});
