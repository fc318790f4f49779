/**
 * Keyboard commands (manifest `commands`, keys set at chrome://extensions/shortcuts): each acts on the
 * active tab as the popup or the context menu would. "Describe the focused image" asks every frame which
 * image the reader means, grants that image as asked for (the reader pressed the key, as they would have
 * clicked "Caption this image"), and opens the caption panel in its frame.
 */
import { browser } from 'wxt/browser';
import { chooseAcrossFrames } from '@/lib/page/image-in-focus';
import type { MessageName, Req, Res } from '@/lib/messages';
import { sendToPage } from '@/lib/transport';
import { sendToPageInjecting } from '@/lib/inject';

export const COMMANDS = {
  selectArea: 'select-area-to-read',
  readVisible: 'read-visible-page',
  describeAll: 'describe-all-images',
  describeFocused: 'describe-focused-image',
} as const;

type SendToPage = <K extends MessageName<'page'>>(tabId: number, name: K, req: Req<'page', K>, frameId?: number) => Promise<Res<'page', K>>;

export interface CommandDeps {
  /**
   * Marks reads of `url` from that tab and frame as asked for by the reader (`UserAskedGrants.grant`),
   * before the panel asks for them: the same grant a context-menu click makes.
   */
  grantUserAsked(tabId: number, frameId: number, url: string): Promise<void>;
  /**
   * Defaults, replaced by fakes in unit tests: `send` for the first message to a tab's top frame, which
   * injects the content script into every frame when the tab has none (inject.ts); `sendToFrame` for the
   * rest (a frame that still has no script, such as an about:blank one, is simply left out).
   */
  send?: SendToPage;
  sendToFrame?: SendToPage;
  frameIds?(tabId: number): Promise<number[]>;
  activeTabId?(): Promise<number | undefined>;
}

/** What a command did, for tests and logs; the reader sees the page's own panels and picker. */
export type CommandResult =
  | { done: true }
  | { done: false; why: 'unknown-command' | 'no-tab' | 'no-image' | 'page-refused'; detail?: string };

/**
 * Listens for the keyboard commands. Returns `runCommand`, what the listener calls for a command on a
 * tab (test builds also put it on `globalThis.altsight.onCommand`: headless Chromium can't press an
 * extension's shortcut).
 */
export function registerCommands(deps: CommandDeps): { runCommand: (command: string, tab?: { id?: number }) => Promise<CommandResult> } {
  const runCommand = commandRunner(deps);
  browser.commands.onCommand.addListener((command, tab) => void runCommand(command, tab));
  if (import.meta.env.ALTSIGHT_TEST) {
    const hooks = (globalThis as { altsight?: Record<string, unknown> }).altsight;
    Object.assign(globalThis, { altsight: { ...hooks, onCommand: runCommand } });
  }
  return { runCommand };
}

/** The commands' logic, without the listener: `registerCommands` wires it, unit tests drive it. */
export function commandRunner(deps: CommandDeps) {
  const send: SendToPage = deps.send ?? sendToPageInjecting;
  const sendToFrame: SendToPage = deps.sendToFrame ?? sendToPage;
  const frameIds = deps.frameIds ?? allFrameIds;
  const activeTabId = deps.activeTabId ?? currentTabId;

  const describeFocused = async (tabId: number): Promise<CommandResult> => {
    // The top frame first, alone: if the tab has no content script yet, this injects it into every frame.
    const top = await send(tabId, 'page.findFocusedImage', {}, 0);
    const others = (await frameIds(tabId)).filter((id) => id !== 0);
    const replies = await Promise.allSettled(others.map((frameId) => sendToFrame(tabId, 'page.findFocusedImage', {}, frameId)));
    const answers = [
      { frameId: 0, image: top.image },
      ...others.map((frameId, i) => {
        const reply = replies[i]!;
        return { frameId, image: reply.status === 'fulfilled' ? reply.value.image : null };
      }),
    ];
    const chosen = chooseAcrossFrames(answers);
    if (!chosen) {
      await sendToFrame(tabId, 'page.showNotice', { notice: 'no-image-in-focus' }, 0);
      return { done: false, why: 'no-image' };
    }
    await deps.grantUserAsked(tabId, chosen.frameId, chosen.srcUrl);
    const { shown } = await sendToFrame(tabId, 'page.showPanel', { srcUrl: chosen.srcUrl, kind: 'caption' }, chosen.frameId);
    return shown ? { done: true } : { done: false, why: 'page-refused' };
  };

  const describeAll = async (tabId: number): Promise<CommandResult> => {
    await send(tabId, 'page.describeAll', {}, 0); // injects into every frame if needed
    const others = (await frameIds(tabId)).filter((id) => id !== 0);
    await Promise.allSettled(others.map((frameId) => sendToFrame(tabId, 'page.describeAll', {}, frameId)));
    return { done: true };
  };

  return async function runCommand(command: string, tab?: { id?: number }): Promise<CommandResult> {
    const tabId = tab?.id ?? (await activeTabId());
    if (tabId === undefined || tabId < 0) return { done: false, why: 'no-tab' };
    try {
      switch (command) {
        case COMMANDS.selectArea:
          return started(await send(tabId, 'page.selectRegion', {}, 0));
        case COMMANDS.readVisible:
          return started(await send(tabId, 'page.readVisible', {}, 0));
        case COMMANDS.describeAll:
          return await describeAll(tabId);
        case COMMANDS.describeFocused:
          return await describeFocused(tabId);
        default:
          return { done: false, why: 'unknown-command' };
      }
    } catch (err) {
      // A page AltSight can't run on (chrome://, the Web Store, a PDF viewer): nothing to do there.
      return { done: false, why: 'page-refused', detail: err instanceof Error ? err.message : String(err) };
    }
  };
}

function started(reply: { started: boolean }): CommandResult {
  return reply.started ? { done: true } : { done: false, why: 'page-refused' };
}

async function allFrameIds(tabId: number): Promise<number[]> {
  const frames = await browser.webNavigation.getAllFrames({ tabId }).catch(() => null);
  return frames?.map((f) => f.frameId) ?? [0];
}

async function currentTabId(): Promise<number | undefined> {
  const [tab] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
  return tab?.id;
}
