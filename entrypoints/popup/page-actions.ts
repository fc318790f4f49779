/** What the popup asks of the page: every frame's content script answers, and we merge the replies. */
import { browser } from 'wxt/browser';
import type { MessageName, PageImageReport, Req, Res } from '@/lib/messages';
import { sendToBackground, sendToPage } from '@/lib/transport';

async function frameIds(tabId: number): Promise<number[]> {
  const frames = await browser.webNavigation.getAllFrames({ tabId }).catch(() => null);
  return frames?.map((f) => f.frameId) ?? [0];
}

async function toEveryFrame<K extends MessageName<'page'>>(tabId: number, name: K): Promise<Res<'page', K>[]> {
  const replies = await Promise.allSettled((await frameIds(tabId)).map((frameId) => sendToPage(tabId, name, {} as Req<'page', K>, frameId)));
  return replies.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
}

export const pageActions = {
  async describeAll(tabId: number): Promise<void> {
    const replies = await toEveryFrame(tabId, 'page.describeAll');
    if (replies.length === 0) throw new Error('AltSight can’t run on this page.');
  },
  async retryFailed(tabId: number): Promise<number> {
    return (await toEveryFrame(tabId, 'page.retryFailed')).reduce((n, r) => n + r.retried, 0);
  },
  async undoAll(tabId: number): Promise<number> {
    return (await toEveryFrame(tabId, 'page.undoAll')).reduce((n, r) => n + r.restored, 0);
  },
  async report(tabId: number): Promise<PageImageReport[]> {
    return (await toEveryFrame(tabId, 'page.report')).flatMap((r) => r.images);
  },
  /** Region tools live in the top frame, which sees the whole viewport. */
  async selectRegion(tabId: number): Promise<void> {
    await sendToPage(tabId, 'page.selectRegion', {}, 0).catch(() => {
      throw new Error("This page can't be captured.");
    });
  },
  async readVisible(tabId: number): Promise<void> {
    await sendToPage(tabId, 'page.readVisible', {}, 0).catch(() => {
      throw new Error("This page can't be captured.");
    });
  },
  engineStatus: () => sendToBackground('engine.status', {}),
};
