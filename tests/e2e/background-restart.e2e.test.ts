/**
 * The background may go away while a request waits on it: Chrome stops a service worker it finds idle or
 * unresponsive, and one crash takes the whole extension process, the engine host with the worker. The
 * content script's request then had its port closed under it, unanswered: an auto-fill caption was lost
 * for good (the image stayed without alt), and a panel showed Chrome's "The message port closed before a
 * response was received." Calls to the background are now asked once more on a new port, which wakes a
 * new worker (lib/port-rpc.ts).
 *
 * The worker is stopped through DevTools' ServiceWorker domain while the engine waits for the image
 * (the test site sends the engine's copy 10 s late, the page's own at once).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, type E2eBackend, type ExtensionBrowser } from '../support/browser';
import { startModelHost, startSite, type ModelHost, type Running } from '../support/servers';
import { setSettings } from './extension';

const BACKEND = (process.env.ALTSIGHT_E2E_BACKEND ?? 'wasm') as E2eBackend;
const ENGINE_COPY_DELAY_MS = 10_000;

interface WorkerVersion {
  versionId: string;
  scriptURL: string;
  runningStatus: string;
}

describe(`A background that goes away mid-request (${BACKEND})`, () => {
  let modelHost: ModelHost;
  let site: Running;
  let ext: ExtensionBrowser;

  beforeAll(async () => {
    [modelHost, site] = await Promise.all([startModelHost(), startSite('127.0.0.1')]);
    ext = await launchWithExtension({ backend: BACKEND });
    await setSettings(ext.serviceWorker, {
      modelHost: `${modelHost.origin}/`,
      modelId: 'altsight-test/tiny-shapes-captioner',
      backend: BACKEND,
      preferImageText: false,
      autoFillEverywhere: true,
    });
  }, 120_000);

  afterAll(async () => {
    await ext?.close();
    await Promise.all([modelHost, site].map((s) => s?.close()));
  });

  it('still captions an auto-filled image when the service worker is stopped while its caption is out', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${site.origin}/generated/slow-copy.html?delayMs=${ENGINE_COPY_DELAY_MS}`);
    // Auto-fill has asked by now; the engine waits for its copy of the image.
    await page.waitForTimeout(4_000);
    expect(await page.locator('img').getAttribute('data-altsight')).toBeNull();

    const devtools = await ext.context.newCDPSession(page);
    const versions: WorkerVersion[] = [];
    devtools.on('ServiceWorker.workerVersionUpdated', (event: { versions: WorkerVersion[] }) => versions.push(...event.versions));
    await devtools.send('ServiceWorker.enable');
    const ours = () => versions.filter((v) => v.scriptURL.startsWith(`chrome-extension://${ext.extensionId}/`));
    await expect.poll(() => ours().some((v) => v.runningStatus === 'running')).toBe(true);
    const running = ours().find((v) => v.runningStatus === 'running')!;
    await devtools.send('ServiceWorker.stopWorker', { versionId: running.versionId });
    await expect.poll(() => ours().some((v) => v.runningStatus === 'stopped' || v.runningStatus === 'starting')).toBe(true);

    const alt = await page.evaluate(
      () =>
        new Promise<string | null>((resolve) => {
          const img = document.querySelector('img')!;
          const done = () => img.hasAttribute('data-altsight') && resolve(img.getAttribute('alt'));
          done();
          new MutationObserver(done).observe(img, { attributes: true });
          setTimeout(() => resolve(null), 60_000);
        }),
    );
    expect(alt ?? 'no caption within 60 s').toContain('a red circle');
    await page.close();
  }, 120_000);
});
