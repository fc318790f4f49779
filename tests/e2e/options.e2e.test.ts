/**
 * The options and onboarding pages of the built extension, with the fixture model host: the welcome tab
 * on install, a control for every setting, downloading and deleting the model, the model host's checks
 * and connection test, the sample caption, keyboard-only use, axe in light and dark, and screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SETTING_KEYS } from '@/lib/settings';
import { axeViolations } from '../support/axe';
import { launchWithExtension, type E2eBackend, type ExtensionBrowser } from '../support/browser';
import { SCREENSHOTS } from '../support/screenshots';
import { startModelHost, type ModelHost } from '../support/servers';
import { engineStatus, setSettings, waitFor } from './extension';

const BACKEND = (process.env.ALTSIGHT_E2E_BACKEND ?? 'wasm') as E2eBackend;
const MODEL_ID = 'altsight-test/tiny-shapes-captioner';

async function closedPortOrigin(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}`;
}

/** Bytes of an .onnx file sent per tick, and the tick: the fixture's ~800 kB then take about 3 s. */
const SLOW_CHUNK_BYTES = 16_384;
const SLOW_TICK_MS = 100;

/** The model host, through a proxy that sends .onnx files slowly enough to watch a progress bar. */
async function startSlowProxy(target: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createHttpServer((req, res) => {
    void (async () => {
      const upstream = await fetch(`${target}${req.url ?? '/'}`, { method: req.method });
      const body = Buffer.from(await upstream.arrayBuffer());
      res.writeHead(upstream.status, {
        'access-control-allow-origin': '*',
        'cross-origin-resource-policy': 'cross-origin',
        'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream',
        'content-length': upstream.headers.get('content-length') ?? String(body.length),
      });
      if (req.method === 'HEAD' || !(req.url ?? '').endsWith('.onnx')) return void res.end(body);
      for (let at = 0; at < body.length; at += SLOW_CHUNK_BYTES) {
        if (res.destroyed) return;
        res.write(body.subarray(at, at + SLOW_CHUNK_BYTES));
        await new Promise((r) => setTimeout(r, SLOW_TICK_MS));
      }
      res.end();
    })().catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe(`Options and onboarding pages (${BACKEND})`, () => {
  let modelHost: ModelHost;
  let ext: ExtensionBrowser;
  let closedOrigin: string;
  let slowOrigin = '';
  const pageUrl = (path: string) => `chrome-extension://${ext.extensionId}/${path}`;
  const stored = (key: string) => ext.serviceWorker.evaluate(async (k) => (await chrome.storage.local.get(k))[k], key);

  async function openPage(path: string): Promise<Page> {
    const page = await ext.context.newPage();
    await page.goto(pageUrl(path));
    await page.locator('main h1').waitFor();
    return page;
  }

  beforeAll(async () => {
    [modelHost, closedOrigin] = await Promise.all([startModelHost(), closedPortOrigin()]);
    ext = await launchWithExtension({ backend: BACKEND });
    await setSettings(ext.serviceWorker, { modelHost: `${modelHost.origin}/`, modelId: MODEL_ID, backend: BACKEND });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await ext?.close();
    await modelHost?.close();
  });

  it('opens the welcome page in a tab when the extension is installed', async () => {
    const tab = await waitFor('the onboarding tab', async () => ext.context.pages().find((p) => new URL(p.url()).pathname === '/onboarding.html'), 15_000);
    expect(tab.url()).toBe(pageUrl('onboarding.html'));
    await tab.close();
  });

  it('has a control for every setting', async () => {
    const page = await openPage('options.html');
    const missing: string[] = [];
    for (const key of SETTING_KEYS) if ((await page.locator(`[data-setting="${key}"]`).count()) === 0) missing.push(key);
    expect(missing).toEqual([]);
    // Each control has a name: its <label>, or the legend of its group.
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-setting]')]
        .filter((el) => (el instanceof HTMLFieldSetElement ? !el.querySelector('legend')?.textContent : !(el as HTMLInputElement).labels?.[0]?.textContent))
        .map((el) => el.dataset.setting),
    );
    expect(unnamed).toEqual([]);
    await page.close();
  });

  it('downloads the model with Download now, shows it cached, and deletes it', async () => {
    const page = await openPage('options.html');
    const card = page.locator(`li[data-model-id="${MODEL_ID}"]`);
    const cacheState = card.getByTestId('cache-state');
    await expect.poll(() => cacheState.getAttribute('data-cached')).toBe('false');
    expect(await card.getByRole('radio').isChecked()).toBe(true);

    await page.getByRole('button', { name: 'Download now' }).click();
    const status = page.getByTestId('download-status');
    await expect.poll(() => status.textContent(), { timeout: 90_000 }).toMatch(/is downloaded and ready/);
    const engine = await engineStatus(page);
    expect(engine).toMatchObject({ state: 'ready', modelId: MODEL_ID });
    expect(engine.files.length).toBeGreaterThan(0);
    expect(engine.files.every((f) => f.done)).toBe(true);
    await expect.poll(() => cacheState.getAttribute('data-cached')).toBe('true');
    expect(await cacheState.textContent()).toMatch(/On this computer: .+ in \d+ files?/);

    await card.getByRole('button', { name: /Delete cached model/ }).click();
    await expect.poll(() => cacheState.getAttribute('data-cached')).toBe('false');
    expect(await page.getByTestId('modelId-message').textContent()).toMatch(/^Deleted .+ \(\d+ files?\)\.$/);
    // The engine host was closed first, so nothing holds the deleted files.
    expect((await engineStatus(page)).state).toBe('idle');
    await page.close();
  }, 120_000);

  it('offers Download now only once the stored model choice is read, so it names the model it fetches, and keeps saying so', async () => {
    const page = await ext.context.newPage();
    // Storage slow to answer, as under load: before, "Download now" was offered for the default model
    // meanwhile, and a click then said "Downloading DistilViT…" and "…is downloaded and ready" while the
    // stored model was fetched (then the live region went blank when the stored choice arrived).
    await page.addInitScript(() => {
      const area = chrome.storage.local;
      const get = area.get.bind(area) as (...args: unknown[]) => Promise<unknown>;
      Object.defineProperty(area, 'get', { value: (...args: unknown[]) => new Promise((r) => setTimeout(r, 1000)).then(() => get(...args)) });
      const said: string[] = [];
      Object.assign(window, { said });
      let clicked = false;
      new MutationObserver(() => {
        // Pressed the moment it appears, before the page's effects have run (they wait for a paint): a
        // mount effect used to clear the live region after this click's "Downloading…".
        const download = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Download now');
        if (download && !clicked) {
          clicked = true;
          download.click();
        }
        const text = document.querySelector('[data-testid=download-status]')?.textContent;
        if (text !== undefined && text !== null && (text || said.length > 0) && said[said.length - 1] !== text) said.push(text);
      }).observe(document, { childList: true, characterData: true, subtree: true });
    });
    await page.goto(pageUrl('options.html'), { waitUntil: 'commit' });
    await expect.poll(() => page.getByTestId('download-status').textContent(), { timeout: 90_000 }).toMatch(/is downloaded and ready/);
    const said = await page.evaluate(() => (window as unknown as { said: string[] }).said);
    expect(said.length, JSON.stringify(said)).toBeGreaterThanOrEqual(2);
    // Every word names the stored model, and the live region never goes blank in between.
    expect(said.filter((s) => !s.includes(MODEL_ID)), JSON.stringify(said)).toEqual([]);
    expect((await engineStatus(page)).modelId).toBe(MODEL_ID);

    await page.getByRole('button', { name: /Delete cached model/ }).click();
    await expect.poll(() => page.locator(`li[data-model-id="${MODEL_ID}"] [data-testid=cache-state]`).getAttribute('data-cached')).toBe('false');
    await page.close();
  }, 120_000);

  it('shows one progress bar for the model (MB, %, time left), says little to screen readers, and Cancel stops it', async () => {
    const slow = await startSlowProxy(modelHost.origin);
    slowOrigin = slow.origin;
    try {
      await setSettings(ext.serviceWorker, { modelHost: `${slow.origin}/` });
      const page = await openPage('options.html');
      const status = page.getByTestId('download-status');
      // The download control appears once the stored model choice is read.
      await status.waitFor({ state: 'attached' });
      await page.evaluate(() => {
        const region = document.querySelector('[data-testid=download-status]')!;
        const said: string[] = [];
        new MutationObserver(() => said.push(region.textContent ?? '')).observe(region, { childList: true, characterData: true, subtree: true });
        Object.assign(window, { said });
      });
      await page.getByRole('button', { name: 'Download now' }).click();
      // Mid-download: the bar, and its words, at one moment.
      const midway = await waitFor('the download to be under way', () =>
        page.evaluate(() => {
          const bars = document.querySelectorAll('progress');
          const text = document.querySelector('[data-testid=download-progress]')?.textContent ?? '';
          const bar = bars[0];
          return bars.length === 1 && bar && bar.value > 0 && bar.value < bar.max && /about \d+ s left$/.test(text) ? { text, value: bar.value, max: bar.max } : null;
        }),
        30_000,
      );
      expect(midway.text).toMatch(/^\d+ kB of \d+ kB · \d+% · about \d+ s left$/);
      expect(midway.text).toContain(`${Math.floor((midway.value / midway.max) * 100)}%`);
      await page.screenshot({ path: join(SCREENSHOTS, 'options-downloading.png') });

      await page.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => status.textContent()).toBe('Download cancelled.');
      expect(await page.locator('progress').count()).toBe(0);
      expect(await page.getByTestId('download-error').count()).toBe(0);

      await page.getByRole('button', { name: 'Download now' }).click();
      await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/is downloaded and ready/);
      const said = await page.evaluate(() => (window as unknown as { said: string[] }).said);
      // Milestones only: started, quarters, cancelled, started again, quarters, done.
      expect(said.length, JSON.stringify(said)).toBeLessThanOrEqual(10);
      expect(said.filter((s) => !/^(Downloading .+…|Download (25|50|75)% done\.|Download cancelled\.|.+ is downloaded and ready\.)$/.test(s))).toEqual([]);

      await page.getByRole('button', { name: /Delete cached model/ }).click();
      await expect.poll(() => page.locator(`li[data-model-id="${MODEL_ID}"] [data-testid=cache-state]`).getAttribute('data-cached')).toBe('false');
      await page.close();
    } finally {
      await setSettings(ext.serviceWorker, { modelHost: `${modelHost.origin}/` });
      await slow.close();
    }
  }, 120_000);

  it('shows the engine’s error, naming the host, and downloads on Retry once the host is back', async () => {
    const page = await openPage('options.html');
    await setSettings(ext.serviceWorker, { modelHost: `${closedOrigin}/` });
    await expect.poll(() => page.locator('#model-host').inputValue()).toBe(`${closedOrigin}/`);
    await page.getByRole('button', { name: /^(Download now|Retry)$/ }).click();
    const error = page.getByTestId('download-error');
    await expect.poll(() => error.textContent().catch(() => null), { timeout: 90_000 }).toContain(new URL(closedOrigin).host);
    expect(await page.getByTestId('download-status').textContent()).toMatch(/^Download failed\./);

    await setSettings(ext.serviceWorker, { modelHost: `${modelHost.origin}/` });
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => page.getByTestId('download-status').textContent(), { timeout: 90_000 }).toMatch(/is downloaded and ready/);
    expect(await error.count()).toBe(0);
    await page.close();
  }, 120_000);

  it('refuses a model host on plain http unless it is this computer, saying why', async () => {
    const page = await openPage('options.html');
    const input = page.locator('#model-host');
    const error = page.getByTestId('model-host-error');
    await input.fill('http://example.com');
    await input.press('Enter');
    await expect.poll(() => error.textContent()).toMatch(/Use https:\/\/.*localhost/);
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await stored('modelHost')).toBe(`${modelHost.origin}/`);

    await input.fill('http://localhost:1234/');
    await input.press('Enter');
    await expect.poll(() => stored('modelHost')).toBe('http://localhost:1234/');
    expect(await error.textContent()).toBe('');
    await setSettings(ext.serviceWorker, { modelHost: `${modelHost.origin}/` });
    await page.close();
  });

  it('tests the connection to the model host, and says plainly when nothing answers', async () => {
    const page = await openPage('options.html');
    const input = page.locator('#model-host');
    const result = page.getByTestId('model-host-result');
    await expect.poll(() => input.inputValue()).toBe(`${modelHost.origin}/`);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => result.getAttribute('data-state')).toBe('ok');
    expect(await result.textContent()).toBe(`OK: ${modelHost.origin}/ answered and has ${MODEL_ID}.`);
    expect(modelHost.served).toContain(`/${MODEL_ID}/resolve/main/config.json`);

    await input.fill(closedOrigin);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => result.getAttribute('data-state')).toBe('failed');
    expect(await result.textContent()).toBe(`Could not connect to ${closedOrigin}/. Check the address, and that the host is running.`);
    // Testing saves nothing.
    expect(await stored('modelHost')).toBe(`${modelHost.origin}/`);
    await page.close();
  });

  it('validates the auto-fill site list, and previews the alt prefix as it is typed', async () => {
    const page = await openPage('options.html');
    const add = page.locator('#add-site');
    await add.fill('not a site/');
    await add.press('Enter');
    await expect.poll(() => page.getByTestId('add-site-error').textContent()).toMatch(/only the site name/);
    await add.fill('https://News.Example.org/some/page');
    await add.press('Enter');
    await expect.poll(() => stored('autoFillSites')).toEqual(['news.example.org']);
    await page.getByRole('button', { name: 'Remove news.example.org' }).click();
    await expect.poll(() => stored('autoFillSites')).toEqual([]);

    await page.locator('#setting-altPrefix').fill('Described by AltSight: ');
    expect(await page.getByTestId('alt-preview').textContent()).toBe('Described by AltSight: a dog on a beach');
    await expect.poll(() => stored('altPrefix')).toBe('Described by AltSight: ');
    // Once the field is left, it follows the stored value, whoever changed it.
    await page.locator('#setting-altPrefix').blur();
    await setSettings(ext.serviceWorker, { altPrefix: 'Auto-generated: ' });
    await expect.poll(() => page.getByTestId('alt-preview').textContent()).toBe('Auto-generated: a dog on a beach');
    await page.close();
  });

  it('works with the keyboard alone, with a visible focus ring', async () => {
    const page = await openPage('options.html');
    await page.bringToFront();
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        return { setting: el.dataset.setting ?? null, id: el.id, tag: el.tagName, outline: `${style.outlineStyle} ${style.outlineWidth}` };
      });
    const reached = new Set<string>();
    const outlines = new Set<string>();
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      const now = await focused();
      if (!now) break;
      if (now.setting) reached.add(now.setting);
      outlines.add(now.outline);
      if (now.setting === 'preferImageText') {
        // A switch turned off with the keyboard is stored.
        await page.keyboard.press('Space');
        await expect.poll(() => stored('preferImageText')).toBe(false);
        await page.keyboard.press('Space');
        await expect.poll(() => stored('preferImageText')).toBe(true);
      }
      if (now.setting === 'wasmThreads') {
        await page.keyboard.press('ArrowUp');
        await expect.poll(() => stored('wasmThreads')).toBe(1);
        await page.keyboard.press('ArrowDown');
        await expect.poll(() => stored('wasmThreads')).toBe(0);
      }
    }
    // Every control is reachable (the model group and site list by their inputs, not their fieldsets).
    // Radio groups (models, what answers questions) are reached by their inputs, checked below for models.
    const focusable = SETTING_KEYS.filter((k) => !['modelId', 'handwritingModelId', 'chatModelId', 'autoFillSites', 'chatEngine'].includes(k));
    expect([...reached].sort()).toEqual(focusable.sort());
    expect([...outlines].every((o) => /^solid [2-9]/.test(o))).toBe(true);

    // The model choice is a radio group: arrow keys move between models and store the choice.
    await page.locator(`li[data-model-id="${MODEL_ID}"] input[type=radio]`).focus();
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => stored('modelId')).not.toBe(MODEL_ID);
    await setSettings(ext.serviceWorker, { modelId: MODEL_ID });

    // "Delete all data" asks first, and takes the keyboard to its question.
    await page.getByRole('button', { name: 'Delete all AltSight data…' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('delete-all-question');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep my data');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Delete all AltSight data…');
    expect(await stored('modelHost')).toBe(`${modelHost.origin}/`);
    await page.close();
  }, 120_000);

  it('captions the sample picture on the welcome page', async () => {
    const page = await openPage('onboarding.html');
    expect(await page.getByTestId('download-summary').textContent()).toContain(`from ${modelHost.origin}/`);
    await page.getByRole('button', { name: 'Describe this picture' }).click();
    await expect.poll(() => page.getByTestId('sample-caption').textContent().catch(() => null), { timeout: 90_000 }).toBe('a red circle');
    expect(await page.getByRole('link', { name: 'Open AltSight settings' }).getAttribute('href')).toBe('/options.html');
    await page.close();
  }, 120_000);

  it('deletes all data after confirming', async () => {
    const page = await openPage('options.html');
    await page.getByRole('button', { name: 'Delete all AltSight data…' }).click();
    await page.getByRole('button', { name: 'Delete everything' }).click();
    await expect.poll(() => page.getByTestId('delete-all-message').textContent()).toMatch(/All AltSight data was deleted/);
    expect(await stored('modelHost')).toBeUndefined();
    expect(await page.evaluate(async () => (await caches.keys()).length)).toBe(0);
    // The controls show the defaults again.
    await expect.poll(() => page.locator('#model-host').inputValue()).toBe('https://huggingface.co/');
    await setSettings(ext.serviceWorker, { modelHost: `${modelHost.origin}/`, modelId: MODEL_ID, backend: BACKEND });
    await page.close();
  }, 60_000);

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`has no axe violations on either page in ${colorScheme} mode, and is photographed`, async () => {
      for (const [name, path] of [
        ['options', 'options.html'],
        ['onboarding', 'onboarding.html'],
      ] as const) {
        const page = await openPage(path);
        await page.emulateMedia({ colorScheme });
        // Wait for stored values and the cache state to arrive, so the screenshot shows the real page.
        if (name === 'options') await expect.poll(() => page.locator(`li[data-model-id="${MODEL_ID}"] [data-testid=cache-state]`).getAttribute('data-cached')).not.toBe('unknown');
        expect(await axeViolations(page), `${name} (${colorScheme})`).toEqual([]);
        await page.screenshot({ path: join(SCREENSHOTS, `${name}-${colorScheme}.png`), fullPage: true });
        await page.close();
      }
    }, 60_000);
  }

  it('fetched nothing but the model host (direct, slowed, or the closed port it was asked to try)', () => {
    const allowed = new Set([modelHost.origin, closedOrigin, slowOrigin]);
    const elsewhere = ext.guard.requests.filter((r) => !allowed.has(new URL(r.url).origin));
    expect(elsewhere).toEqual([]);
  });
});
