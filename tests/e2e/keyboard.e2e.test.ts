/**
 * Issue 9: keyboard, screen readers and commands, in the built extension in Chromium.
 *
 * The region picker and the result panel keep focus inside until closed, Escape closes them wherever
 * focus is inside, and focus goes back where it was; the keyboard commands (called through the test
 * build's `globalThis.altsight.onCommand`, as headless Chromium can't press an extension's shortcut)
 * describe the image with focus or under the pointer; axe finds nothing wrong in the panel or the
 * picker, in light and dark; and a tab that was open before the extension was installed gets the
 * content script injected when a command needs it.
 *
 * The panel and picker live in closed shadow roots. To look inside, the test runs code in the content
 * script's isolated world through DevTools, where the test build keeps the roots (`altsightTest`);
 * the page's own scripts still can't reach them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import {
  CHROMIUM,
  EXTENSION_DIR,
  evaluateInContentScript,
  freePort,
  launchWithExtension,
  quietHeadlessArgs,
  type E2eBackend,
  type ExtensionBrowser,
} from '../support/browser';
import { startNetworkGuard, type NetworkGuard } from '../support/network-guard';
import { SCREENSHOTS } from '../support/screenshots';
import { startModelHost, startSite, type ModelHost, type Running } from '../support/servers';
import { panelResult, panelText, setSettings, tabIdOf, waitFor } from './extension';

const BACKEND = (process.env.ALTSIGHT_E2E_BACKEND ?? 'wasm') as E2eBackend;
const MODEL_ID = 'altsight-test/tiny-shapes-captioner';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PICKER = 'altsight-region-picker';
const PANEL = 'altsight-panel';

interface CommandResult {
  done: boolean;
  why?: string;
  detail?: string;
}

describe(`Keyboard, screen readers and commands (${BACKEND})`, () => {
  let modelHost: ModelHost;
  let site: Running;
  /** Another origin (localhost vs 127.0.0.1): its /private/ image needs its cookie, sent only when the reader asks. */
  let otherSite: Running;
  let ext: ExtensionBrowser;
  let sw: Worker;
  let page: Page;
  let tabId: number;
  let privateImageUrl: string;

  /** Exactly what the `commands.onCommand` listener runs (test builds only). */
  function runCommand(command: string): Promise<CommandResult> {
    return sw.evaluate(
      ([name, tab]) =>
        (globalThis as unknown as { altsight: { onCommand: (c: string, t: object) => Promise<CommandResult> } }).altsight.onCommand(name, { id: tab }),
      [command, tabId] as const,
    );
  }

  /** Code in the content script's isolated world of the page's top frame. */
  const inContentScript = <T,>(expression: string) => evaluateInContentScript<T>(ext.context, page, expression);

  /** What has focus inside our closed root under `host`: a button's name, an input's #id, or the dialog's class. */
  function focusedInside(host: string): Promise<string | null> {
    return inContentScript<string | null>(`(() => {
      const host = document.querySelector(${JSON.stringify(host)});
      const root = host && globalThis.altsightTest.shadowRootOf(host);
      const active = root && root.activeElement;
      if (!active) return null;
      if (active.localName === 'input') return '#' + active.id;
      return active.localName === 'button' ? (active.getAttribute('aria-label') || active.textContent.trim()) : active.className;
    })()`);
  }

  /** The page's own view of focus: our hosts show as themselves, page elements by id. */
  const pageFocus = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.localName || null);
  const isOpen = (host: string) => page.evaluate((h) => document.querySelector(h) !== null, host);

  /**
   * axe-core inside the closed root: run in the isolated world, where `shadowRoot` is made to answer
   * for our hosts while axe runs (that world's prototypes are its own; the page's are untouched). Our
   * hosts hang off <html>, not <body>, and axe lays out its colour-contrast grid from `document.body`:
   * for the run the host moves into <body> (it is position: fixed, so nothing moves on screen), and
   * focus goes back where it was afterwards.
   */
  async function axeInside(host: string): Promise<{ id: string; help: string; targets: string[] }[]> {
    const { violations, passes } = await axeRun(host);
    // axe saw inside the closed root: the dialog's name and the text's contrast were checked and passed.
    expect(passes).toEqual(expect.arrayContaining(['aria-dialog-name', 'color-contrast']));
    return violations;
  }

  async function axeRun(host: string): Promise<{ violations: { id: string; help: string; targets: string[] }[]; passes: string[] }> {
    await inContentScript(`globalThis.axe ? 0 : (() => { ${AXE_SOURCE}\n; return 0; })()`);
    return inContentScript(`(async () => {
      const roots = globalThis.altsightTest;
      const native = Object.getOwnPropertyDescriptor(Element.prototype, 'shadowRoot');
      Object.defineProperty(Element.prototype, 'shadowRoot', {
        configurable: true,
        get() { return roots.shadowRootOf(this) ?? native.get.call(this); },
      });
      const hostElement = document.querySelector(${JSON.stringify(host)});
      const focused = roots.shadowRootOf(hostElement).activeElement;
      document.body.append(hostElement);
      try {
        const result = await axe.run(hostElement, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
        });
        return {
          violations: result.violations.map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) })),
          passes: result.passes.map((p) => p.id),
        };
      } finally {
        Object.defineProperty(Element.prototype, 'shadowRoot', native);
        document.documentElement.append(hostElement);
        focused?.focus(); // moving the host took focus away
      }
    })()`);
  }

  async function pressTimes(key: string, times: number, check: () => Promise<void>): Promise<void> {
    for (let i = 0; i < times; i++) {
      await page.keyboard.press(key);
      await check();
    }
  }

  beforeAll(async () => {
    [modelHost, site, otherSite] = await Promise.all([startModelHost(), startSite('127.0.0.1'), startSite('localhost')]);
    ext = await launchWithExtension({ backend: BACKEND });
    sw = ext.serviceWorker;
    await setSettings(sw, {
      modelHost: `${modelHost.origin}/`,
      modelId: MODEL_ID,
      backend: 'auto',
      preferImageText: false,
      autoFillEverywhere: false,
      autoFillSites: [],
    });
    page = await ext.context.newPage();
    await page.goto(`${otherSite.origin}/login`); // the reader is signed in to the other site
    await page.goto(`${site.origin}/ocr.html`);
    tabId = await tabIdOf(sw, page.url());
    privateImageUrl = `${otherSite.origin}/private/yellow-circle.webp?keyboard`;
    // A button to start from, and a link around an image behind the other site's login.
    await page.evaluate((src) => {
      const bar = document.createElement('p');
      bar.id = 'keyboard-bar';
      const before = Object.assign(document.createElement('button'), { id: 'before', type: 'button', textContent: 'Before' });
      const link = Object.assign(document.createElement('a'), { id: 'image-link', href: '#linked' });
      const img = Object.assign(document.createElement('img'), { id: 'linked-image', src, width: 80, height: 80 });
      link.append(img);
      bar.append(before, ' ', link);
      document.body.prepend(bar);
    }, privateImageUrl);
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await ext?.close();
    await Promise.all([modelHost, site, otherSite].map((s) => s?.close()));
  });

  it('region picker: Tab and Shift+Tab stay inside, Escape works after Tab, focus goes back', async () => {
    await page.locator('#before').focus();
    expect(await runCommand('select-area-to-read')).toEqual({ done: true });
    await waitFor('the region picker', () => isOpen(PICKER), 10_000);
    expect(await pageFocus()).toBe(PICKER);
    expect(await focusedInside(PICKER)).toBe('overlay');

    // No selection yet: "Read selection" is disabled, so Tab has only Cancel.
    const stayInside = async () => expect(await pageFocus()).toBe(PICKER);
    await pressTimes('Tab', 3, stayInside);
    expect(await focusedInside(PICKER)).toBe('Cancel');
    // An arrow key makes a selection (from any control): now Tab and Shift+Tab cycle Read ↔ Cancel.
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.querySelector('altsight-region-picker') !== null)).toBe(true);
    const seen: (string | null)[] = [];
    await pressTimes('Tab', 4, async () => {
      await stayInside();
      seen.push(await focusedInside(PICKER));
    });
    await pressTimes('Shift+Tab', 3, async () => {
      await stayInside();
      seen.push(await focusedInside(PICKER));
    });
    expect(seen).toEqual(['Read selection', 'Cancel', 'Read selection', 'Cancel', 'Read selection', 'Cancel', 'Read selection']);

    await page.keyboard.press('Escape');
    await expect.poll(() => isOpen(PICKER)).toBe(false);
    expect(await pageFocus()).toBe('before');
  }, 60_000);

  it('region picker: starts again after Cancel, after Escape, and after a page script removed it', async () => {
    expect(await runCommand('select-area-to-read')).toEqual({ done: true });
    await waitFor('the region picker', () => isOpen(PICKER), 10_000);
    await page.keyboard.press('Tab'); // to Cancel
    await page.keyboard.press('Enter');
    await expect.poll(() => isOpen(PICKER)).toBe(false);

    expect(await runCommand('select-area-to-read')).toEqual({ done: true });
    await waitFor('the picker a second time', () => isOpen(PICKER), 10_000);
    await page.evaluate(() => document.querySelector('altsight-region-picker')!.remove()); // a page rewriting itself
    expect(await runCommand('select-area-to-read')).toEqual({ done: true });
    await waitFor('the picker a third time', () => isOpen(PICKER), 10_000);
    // Starting while it is open focuses the open one rather than stacking another.
    expect(await runCommand('select-area-to-read')).toEqual({ done: true });
    expect(await page.evaluate(() => document.querySelectorAll('altsight-region-picker').length)).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => isOpen(PICKER)).toBe(false);
    // The page is not left dimmed or changed: nothing of ours remains.
    expect(await page.evaluate(() => document.querySelectorAll('altsight-region-picker, altsight-panel').length)).toBe(0);
  }, 60_000);

  it('text panel: Tab cycles inside, Escape closes it, and focus returns to what had it before the picker', async () => {
    await page.locator('#before').focus();
    expect(await runCommand('select-area-to-read')).toEqual({ done: true });
    await waitFor('the region picker', () => isOpen(PICKER), 10_000);
    const box = (await page.locator('#text-block').boundingBox())!;
    await page.mouse.move(box.x - 6, box.y - 6);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width + 6, box.y + box.height + 6, { steps: 5 });
    await page.mouse.up();
    const text = await panelResult(ext.context, page);
    expect(text).toContain('Ferries');
    expect(await pageFocus()).toBe(PANEL);

    const seen: (string | null)[] = [];
    await pressTimes('Tab', 7, async () => {
      expect(await pageFocus()).toBe(PANEL);
      seen.push(await focusedInside(PANEL));
    });
    await pressTimes('Shift+Tab', 2, async () => {
      expect(await pageFocus()).toBe(PANEL);
      seen.push(await focusedInside(PANEL));
    });
    // Text reads offer the handwriting reader, saying what its first use downloads (the catalog's 64 MB),
    // then questions about the selection.
    const handwriting = 'Read as handwriting (downloads 64.0 MB once)';
    const ask = ['More detail', '#altsight-ask-question', 'Ask'];
    expect(seen).toEqual(['Copy', handwriting, ...ask, 'Close', 'Copy', 'Close', 'Ask']);

    await page.keyboard.press('Escape');
    await expect.poll(() => panelText(ext.context, page)).toBeNull();
    expect(await pageFocus()).toBe('before');
  }, 240_000);

  it('"describe the focused image": a keyboard-focused image link gets its panel, asked for by the reader', async () => {
    await page.locator('#before').focus();
    await page.keyboard.press('Tab'); // to the image link
    expect(await pageFocus()).toBe('image-link');
    expect(await runCommand('describe-focused-image')).toEqual({ done: true });
    // The other site's image needs its cookie: only a read the reader asked for sends it.
    expect(await panelResult(ext.context, page)).toBe('a yellow circle');
    expect(await pageFocus()).toBe(PANEL);

    const seen: (string | null)[] = [];
    await pressTimes('Tab', 7, async () => {
      expect(await pageFocus()).toBe(PANEL);
      seen.push(await focusedInside(PANEL));
    });
    expect(seen).toEqual(['Copy', 'Use as alt text', 'More detail', '#altsight-ask-question', 'Ask', 'Close', 'Copy']);

    // The popup's list has it, marked as the panel's; the page's alt is untouched.
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tab=${tabId}`);
    const report = await popup.evaluate(
      async (tab) => (await chrome.tabs.sendMessage(tab, { altsight: 1, to: 'page', name: 'page.report', payload: {} }, { frameId: 0 })).value.images,
      tabId,
    );
    expect(report).toContainEqual({ imageUrl: privateImageUrl, state: 'captioned', caption: 'a yellow circle', reason: null, source: 'panel-caption' });
    await popup.close();
    expect(await page.locator('#linked-image').getAttribute('alt')).toBeNull();

    await page.bringToFront();
    await page.keyboard.press('Escape');
    await expect.poll(() => panelText(ext.context, page)).toBeNull();
    expect(await pageFocus()).toBe('image-link');
  }, 120_000);

  it('"describe the focused image" takes the image under the pointer when the pointer moved last', async () => {
    const shape = page.locator('#autofill-shape');
    await shape.scrollIntoViewIfNeeded();
    await shape.hover();
    expect(await runCommand('describe-focused-image')).toEqual({ done: true });
    expect(await panelResult(ext.context, page)).toBe('a red circle');
    await page.keyboard.press('Escape');
    await expect.poll(() => panelText(ext.context, page)).toBeNull();
    await page.evaluate(() => window.scrollTo(0, 0));
  }, 60_000);

  it('"describe the focused image" with no image in focus or under the pointer says so', async () => {
    await page.locator('#before').focus();
    const blank = (await page.locator('#blank').boundingBox())!;
    await page.mouse.move(blank.x + 20, blank.y + 20);
    expect(await runCommand('describe-focused-image')).toEqual({ done: false, why: 'no-image' });
    await expect.poll(() => panelText(ext.context, page)).toBe('No image under the pointer or in focus.');
    await page.keyboard.press('Escape');
    await expect.poll(() => panelText(ext.context, page)).toBeNull();
    expect(await pageFocus()).toBe('before');
  }, 30_000);

  for (const scheme of ['light', 'dark'] as const) {
    it(`axe finds no violations in the panel and the picker (${scheme}); screenshots`, async () => {
      await page.emulateMedia({ colorScheme: scheme });
      try {
        await page.locator('#image-link').focus();
        expect(await runCommand('describe-focused-image')).toEqual({ done: true });
        expect(await panelResult(ext.context, page)).toBe('a yellow circle');
        expect(await axeInside(PANEL)).toEqual([]);
        await page.screenshot({ path: join(SCREENSHOTS, `keyboard-panel-${scheme}.png`) });
        await page.keyboard.press('Escape');
        await expect.poll(() => panelText(ext.context, page)).toBeNull();

        expect(await runCommand('select-area-to-read')).toEqual({ done: true });
        await waitFor('the region picker', () => isOpen(PICKER), 10_000);
        expect(await axeInside(PICKER)).toEqual([]);
        await page.keyboard.press('ArrowRight'); // a selection, and "Read selection" enabled
        await page.keyboard.press('Tab');
        expect(await axeInside(PICKER)).toEqual([]);
        await page.screenshot({ path: join(SCREENSHOTS, `keyboard-picker-${scheme}.png`) });
        await page.keyboard.press('Escape');
        await expect.poll(() => isOpen(PICKER)).toBe(false);
      } finally {
        await page.emulateMedia({ colorScheme: null });
      }
    }, 60_000);
  }

  it('the page’s scripts still can’t reach the panel or the picker', async () => {
    expect(await runCommand('select-area-to-read')).toEqual({ done: true });
    await waitFor('the region picker', () => isOpen(PICKER), 10_000);
    expect(await page.evaluate(() => document.querySelector('altsight-region-picker')!.shadowRoot)).toBeNull();
    expect(await page.evaluate(() => 'altsightTest' in globalThis)).toBe(false);
    await page.keyboard.press('Escape');
    await expect.poll(() => isOpen(PICKER)).toBe(false);
  }, 30_000);

  it('a tab open before the extension was installed: the command injects the content script and works', async () => {
    // Chrome never adds content scripts to pages already open when an extension is installed. A second
    // browser opens the page first and installs the built extension afterwards, through DevTools.
    const late = await launchThenInstall(async (context) => {
      const before = await context.newPage();
      await before.goto(`${otherSite.origin}/login`);
      await before.goto(`${site.origin}/ocr.html`);
      await before.evaluate((src) => {
        const link = Object.assign(document.createElement('a'), { id: 'image-link', href: '#linked' });
        link.append(Object.assign(document.createElement('img'), { src, width: 80, height: 80 }));
        document.body.prepend(link);
        link.focus();
      }, privateImageUrl);
      return before;
    });
    try {
      const { worker, page: before } = late;
      await setSettings(worker, { modelHost: `${modelHost.origin}/`, modelId: MODEL_ID, backend: 'auto', preferImageText: false });
      const lateTab = await tabIdOf(worker, before.url());
      // Nobody answers in that tab yet.
      const plain = await worker.evaluate(
        (tab) =>
          chrome.tabs.sendMessage(tab, { altsight: 1, to: 'page', name: 'page.report', payload: {} }, { frameId: 0 }).then(
            () => 'answered',
            (e: Error) => e.message,
          ),
        lateTab,
      );
      expect(plain).toMatch(/Receiving end does not exist/);

      const result = await worker.evaluate(
        (tab) =>
          (globalThis as unknown as { altsight: { onCommand: (c: string, t: object) => Promise<CommandResult> } }).altsight.onCommand('describe-focused-image', { id: tab }),
        lateTab,
      );
      expect(result).toEqual({ done: true });
      expect(await panelResult(late.context, before)).toBe('a yellow circle');
      await before.keyboard.press('Escape');
      await expect.poll(() => panelText(late.context, before)).toBeNull();
      expect(await before.evaluate(() => document.activeElement?.id)).toBe('image-link');
      const allowed = new Set([modelHost, site, otherSite].map((s) => new URL(s.origin).origin));
      expect(late.guard.requests.filter((r) => !allowed.has(new URL(r.url).origin) && !r.url.startsWith('chrome'))).toEqual([]);
    } finally {
      await late.close();
    }
  }, 120_000);

  it('sent no request anywhere but the model host and the test sites', () => {
    const allowed = new Set([modelHost, site, otherSite].map((s) => new URL(s.origin).origin));
    expect(ext.guard.requests.filter((r) => !allowed.has(new URL(r.url).origin) && !r.url.startsWith('chrome'))).toEqual([]);
  });
});

/**
 * A browser without AltSight in which `openPages` opens pages first; then the built extension is
 * installed through DevTools (`Extensions.loadUnpacked`, allowed with --enable-unsafe-extension-debugging
 * over Playwright's pipe), as a user installing it with tabs already open.
 */
async function launchThenInstall(openPages: (context: BrowserContext) => Promise<Page>): Promise<{
  context: BrowserContext;
  page: Page;
  worker: Worker;
  guard: NetworkGuard;
  close(): Promise<void>;
}> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'altsight-e2e-late-'));
  const debuggingPort = await freePort();
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: false,
    // Playwright disables extensions by default; this browser installs one later.
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [...quietHeadlessArgs(debuggingPort), '--enable-unsafe-extension-debugging'],
    viewport: { width: 1200, height: 900 },
  });
  const guard = await startNetworkGuard(debuggingPort);
  const close = async () => {
    guard.close();
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  };
  try {
    const page = await openPages(context);
    const browserSession = await context.browser()!.newBrowserCDPSession();
    const installed = context.waitForEvent('serviceworker', { timeout: 30_000 });
    await browserSession.send('Extensions.loadUnpacked' as never, { path: EXTENSION_DIR } as never);
    const worker = await installed;
    await page.bringToFront();
    return { context, page, worker, guard, close };
  } catch (err) {
    await close();
    throw err;
  }
}


