/** Test-side handles on the running extension: its settings, engine status, panel and pages. */
import type { BrowserContext, Page, Worker } from 'playwright-core';
import type { JobOutcome } from '@/lib/engine/jobs';
import type { EngineStatus } from '@/lib/messages';

export async function setSettings(sw: Worker, values: Record<string, unknown>): Promise<void> {
  await sw.evaluate((v) => chrome.storage.local.set(v), values);
}

export async function tabIdOf(sw: Worker, url: string): Promise<number> {
  return sw.evaluate(async (u) => {
    const tabs = await chrome.tabs.query({});
    const tab = tabs.find((t) => t.url === u);
    if (tab?.id === undefined) throw new Error(`no tab for ${u}`);
    return tab.id;
  }, url);
}

/** Asks the background for a "read text" job on an image URL, as the context menu does; the protocol reply. */
export async function requestTextRead(page: Page, url: string): Promise<{ ok: boolean; value: JobOutcome & { text?: string } }> {
  return page.evaluate(
    (u) =>
      chrome.runtime.sendMessage({
        altsight: 1,
        to: 'background',
        name: 'job.request',
        payload: { job: { kind: 'read-text', source: { kind: 'url', url: u } }, priority: 'user', requestId: crypto.randomUUID() },
      }),
    url,
  );
}

export async function engineStatus(page: Page): Promise<EngineStatus> {
  // The popup page can speak the protocol like any extension page.
  return page.evaluate(async () => {
    const reply = await chrome.runtime.sendMessage({ altsight: 1, to: 'background', name: 'engine.status', payload: {} });
    return reply.value;
  });
}

/** Text inside our closed shadow root: page scripts can't see it, DevTools (CDP) can. */
export async function panelText(context: BrowserContext, page: Page): Promise<string | null> {
  const cdp = await context.newCDPSession(page);
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const host = findNode(root, (n) => n.nodeName === 'ALTSIGHT-PANEL');
    if (!host) return null;
    const result = findNode(host, (n) => (n.attributes ?? []).includes('caption-result'));
    return result ? textOf(result).trim() : '';
  } finally {
    await cdp.detach();
  }
}

/** The labels of the result panel's buttons, in tab order (the close button last). */
export async function panelButtons(context: BrowserContext, page: Page): Promise<string[]> {
  const cdp = await context.newCDPSession(page);
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const host = findNode(root, (n) => n.nodeName === 'ALTSIGHT-PANEL');
    const buttons: string[] = [];
    const collect = (node: DomNode) => {
      if (node.nodeName === 'BUTTON') {
        const attrs = node.attributes ?? [];
        const label = attrs[attrs.indexOf('aria-label') + 1];
        buttons.push(attrs.includes('aria-label') && label ? label : textOf(node).trim());
      }
      [...(node.shadowRoots ?? []), ...(node.children ?? [])].forEach(collect);
    };
    if (host) collect(host);
    return buttons;
  } finally {
    await cdp.detach();
  }
}

interface DomNode {
  nodeName: string;
  nodeValue?: string;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
  contentDocument?: DomNode;
}

function findNode(node: DomNode, match: (n: DomNode) => boolean): DomNode | null {
  if (match(node)) return node;
  for (const child of [...(node.shadowRoots ?? []), ...(node.children ?? [])]) {
    const found = findNode(child, match);
    if (found) return found;
  }
  return null;
}

function textOf(node: DomNode): string {
  if (node.nodeName === '#text') return node.nodeValue ?? '';
  return [...(node.shadowRoots ?? []), ...(node.children ?? [])].map(textOf).join('');
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The text of the result panel once it has a result (not the "Reading…" placeholder). */
export function panelResult(context: BrowserContext, page: Page): Promise<string> {
  return waitFor('the panel to show a result', async () => {
    const text = await panelText(context, page);
    return text && !text.endsWith('…') ? text : null;
  }, 120_000);
}

/** Clicks "Select area to read" in the popup (opened as a tab), then returns to the page, as a user would. */
export async function startRegionSelection(context: BrowserContext, extensionId: string, page: Page, tabId: number): Promise<void> {
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
  await popup.getByRole('button', { name: 'Select area to read' }).click();
  await popup.close();
  await page.bringToFront();
  await waitFor('the region picker', () => page.evaluate(() => document.querySelector('altsight-region-picker') !== null));
}

/**
 * Clicks one of our context-menu items on an image, as far as a test can: headless Chromium can't open a
 * context menu, so this calls exactly what the menu's click listener calls (a test-build hook).
 */
export async function clickImageMenuItem(
  sw: Worker,
  item: 'altsight-caption-image' | 'altsight-read-image-text' | 'altsight-ask-about-image',
  srcUrl: string,
  tabId: number,
  frameId = 0,
): Promise<void> {
  await sw.evaluate(
    ([menuItemId, src, tab, frame]) =>
      (globalThis as unknown as { altsight: { onMenuClicked: (i: object, t: object) => Promise<void> } }).altsight.onMenuClicked(
        { menuItemId, srcUrl: src, frameId: frame },
        { id: tab },
      ),
    [item, srcUrl, tabId, frameId] as const,
  );
}

/** Every frame's auto-fill report for the tab, as the popup would get it: for failure messages. */
export async function frameReports(sw: Worker, tabId: number): Promise<{ frameId: number; url: string; images: unknown }[]> {
  return sw.evaluate(async (id) => {
    const frames = (await chrome.webNavigation.getAllFrames({ tabId: id })) ?? [];
    return Promise.all(
      frames.map(async (f) => {
        const message = { altsight: 1, to: 'page', name: 'page.report', payload: {} };
        const images = await chrome.tabs.sendMessage(id, message, { frameId: f.frameId }).catch((err: Error) => `no answer: ${err.message}`);
        return { frameId: f.frameId, url: f.url, images };
      }),
    );
  }, tabId);
}

/** The texts of the panel's elements with this data-testid, in document order. */
export async function panelTexts(context: BrowserContext, page: Page, testId: string): Promise<string[]> {
  const cdp = await context.newCDPSession(page);
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const host = findNode(root, (n) => n.nodeName === 'ALTSIGHT-PANEL');
    const found: string[] = [];
    const collect = (node: DomNode) => {
      const attrs = node.attributes ?? [];
      const at = attrs.indexOf('data-testid');
      if (at >= 0 && attrs[at + 1] === testId) found.push(textOf(node).trim());
      [...(node.shadowRoots ?? []), ...(node.children ?? [])].forEach(collect);
    };
    if (host) collect(host);
    return found;
  } finally {
    await cdp.detach();
  }
}

/** The accessible name and role of what has keyboard focus, as a screen reader would get it (closed shadow roots included). */
export async function focusedControl(context: BrowserContext, page: Page): Promise<{ role: string; name: string } | null> {
  const cdp = await context.newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: { role?: { value?: string }; name?: { value?: string }; properties?: { name: string; value: { value?: unknown } }[] }[];
    };
    const focused = nodes.filter((n) => n.properties?.some((p) => p.name === 'focused' && p.value.value === true)).at(-1);
    return focused ? { role: String(focused.role?.value ?? ''), name: String(focused.name?.value ?? '') } : null;
  } finally {
    await cdp.detach();
  }
}

/** Presses Tab until the control with this accessible name has focus (at most `limit` times). */
export async function tabTo(context: BrowserContext, page: Page, name: string, limit = 30): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < limit; i++) {
    const now = await focusedControl(context, page);
    if (now?.name === name) return;
    seen.push(`${now?.role}:${now?.name}`);
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached "${name}"; it passed ${JSON.stringify(seen)}`);
}
