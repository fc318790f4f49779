/** What the popup asks of the page: every frame's content script answers, and we merge the replies. */
import { browser } from 'wxt/browser';
import { t } from '@/lib/i18n';
import type { MessageName, PageImageReport, Req, Res } from '@/lib/messages';
import { sendToPageInjecting } from '@/lib/inject';
import { sendToBackground, sendToPage } from '@/lib/transport';

async function frameIds(tabId: number): Promise<number[]> {
  const frames = await browser.webNavigation.getAllFrames({ tabId }).catch(() => null);
  return frames?.map((f) => f.frameId) ?? [0];
}

/**
 * `act`: the user asked for this, so a tab opened before AltSight was installed gets the content script
 * now (the top frame's send injects it into every frame); the popup's polling never injects.
 */
async function toEveryFrame<K extends MessageName<'page'>>(tabId: number, name: K, act = false): Promise<Res<'page', K>[]> {
  const req = {} as Req<'page', K>;
  const top = act ? await sendToPageInjecting(tabId, name, req, 0).then((r) => [r], () => []) : [];
  const rest = (await frameIds(tabId)).filter((id) => !act || id !== 0);
  const replies = await Promise.allSettled(rest.map((frameId) => sendToPage(tabId, name, req, frameId)));
  return [...top, ...replies.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))];
}

export const pageActions = {
  async describeAll(tabId: number): Promise<void> {
    const replies = await toEveryFrame(tabId, 'page.describeAll', true);
    if (replies.length === 0) throw new Error(t('popupCannotRunHere'));
  },
  async retryFailed(tabId: number): Promise<number> {
    return (await toEveryFrame(tabId, 'page.retryFailed', true)).reduce((n, r) => n + r.retried, 0);
  },
  async undoAll(tabId: number): Promise<number> {
    return (await toEveryFrame(tabId, 'page.undoAll')).reduce((n, r) => n + r.restored, 0);
  },
  /** Each image with the frame it is in, so that "Ask" opens the panel there. */
  async report(tabId: number): Promise<(PageImageReport & { frameId: number })[]> {
    const replies = await Promise.allSettled(
      (await frameIds(tabId)).map(async (frameId) => (await sendToPage(tabId, 'page.report', {}, frameId)).images.map((img) => ({ ...img, frameId }))),
    );
    return replies.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
  },
  /** Opens the panel on that image with the question box ready; the popup closes so the page gets focus. */
  async askAbout(tabId: number, frameId: number, imageUrl: string): Promise<void> {
    const { shown } = await sendToBackground('popup.askAboutImage', { tabId, frameId, imageUrl });
    if (!shown) throw new Error(t('popupImageGone'));
  },
  /** Region tools live in the top frame, which sees the whole viewport. */
  async selectRegion(tabId: number): Promise<void> {
    await sendToPageInjecting(tabId, 'page.selectRegion', {}, 0).catch(() => {
      throw new Error(t('failureCannotCapture'));
    });
  },
  async readVisible(tabId: number): Promise<void> {
    await sendToPageInjecting(tabId, 'page.readVisible', {}, 0).catch(() => {
      throw new Error(t('failureCannotCapture'));
    });
  },
  engineStatus: () => sendToBackground('engine.status', {}),
  /** A caption is likely once the popup is open: the engine loads a cached captioner meanwhile. */
  warmEngine: () => sendToBackground('engine.warm', {}).catch(() => undefined),
};
