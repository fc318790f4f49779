import { describe, expect, it, vi } from 'vitest';
import { commandRunner, COMMANDS } from '@/entrypoints/background/commands';
import { contentScriptFiles, isNoContentScript, pageMessenger } from '@/lib/inject';
import { shortcutsOf } from '@/components/ShortcutList';

const NO_RECEIVER = new Error('Could not establish connection. Receiving end does not exist.');

type Call = { name: string; req: unknown; frameId?: number };

/** A tab whose frames answer page messages from `answers` (by frame, then name). */
function fakeTab(answers: Record<number, Record<string, unknown>>) {
  const calls: Call[] = [];
  const send = vi.fn(async (_tabId: number, name: string, req: unknown, frameId?: number) => {
    calls.push({ name, req, frameId });
    const frame = answers[frameId ?? 0];
    if (!frame || !(name in frame)) throw NO_RECEIVER;
    return frame[name];
  });
  return { calls, send: send as never, frameIds: async () => Object.keys(answers).map(Number) };
}

describe('keyboard commands', () => {
  it('"describe the focused image" grants the chosen image, then opens the caption panel in its frame', async () => {
    const grants: unknown[] = [];
    const tab = fakeTab({
      0: { 'page.findFocusedImage': { image: { srcUrl: 'https://news.example/top.png', at: 100 } } },
      4: { 'page.findFocusedImage': { image: { srcUrl: 'https://news.example/framed.png', at: 250 } }, 'page.showPanel': { shown: true } },
      6: { 'page.findFocusedImage': { image: null } },
    });
    const run = commandRunner({ grantUserAsked: async (...g) => void grants.push(g), send: tab.send, sendToFrame: tab.send, frameIds: tab.frameIds });
    expect(await run(COMMANDS.describeFocused, { id: 9 })).toEqual({ done: true });
    expect(grants).toEqual([[9, 4, 'https://news.example/framed.png']]);
    const panel = tab.calls.find((c) => c.name === 'page.showPanel');
    expect(panel).toEqual({ name: 'page.showPanel', req: { srcUrl: 'https://news.example/framed.png', kind: 'caption' }, frameId: 4 });
    // The grant comes before the panel's request: the panel is the last message.
    expect(tab.calls.at(-1)?.name).toBe('page.showPanel');
  });

  it('"describe the focused image" with nothing in focus says so in the top frame, and grants nothing', async () => {
    const grantUserAsked = vi.fn(async () => undefined);
    const tab = fakeTab({ 0: { 'page.findFocusedImage': { image: null }, 'page.showNotice': { shown: true } } });
    const run = commandRunner({ grantUserAsked, send: tab.send, sendToFrame: tab.send, frameIds: tab.frameIds });
    expect(await run(COMMANDS.describeFocused, { id: 9 })).toEqual({ done: false, why: 'no-image' });
    expect(tab.calls.at(-1)).toEqual({ name: 'page.showNotice', req: { notice: 'no-image-in-focus' }, frameId: 0 });
    expect(grantUserAsked).not.toHaveBeenCalled();
  });

  it('a frame that does not answer is left out, not fatal', async () => {
    const tab = fakeTab({
      0: { 'page.findFocusedImage': { image: { srcUrl: 'https://a/top.png', at: 5 } }, 'page.showPanel': { shown: true } },
      3: {}, // about:blank: no content script
    });
    const run = commandRunner({ grantUserAsked: async () => undefined, send: tab.send, sendToFrame: tab.send, frameIds: tab.frameIds });
    expect(await run(COMMANDS.describeFocused, { id: 1 })).toEqual({ done: true });
  });

  it.each([
    { command: COMMANDS.selectArea, message: 'page.selectRegion' },
    { command: COMMANDS.readVisible, message: 'page.readVisible' },
  ])('$command starts $message in the top frame only', async ({ command, message }) => {
    const tab = fakeTab({ 0: { [message]: { started: true } }, 2: { [message]: { started: false } } });
    const run = commandRunner({ grantUserAsked: async () => undefined, send: tab.send, sendToFrame: tab.send, frameIds: tab.frameIds });
    expect(await run(command, { id: 1 })).toEqual({ done: true });
    expect(tab.calls).toEqual([{ name: message, req: {}, frameId: 0 }]);
  });

  it('"describe all images" asks every frame, like the popup', async () => {
    const tab = fakeTab({ 0: { 'page.describeAll': { queued: 2 } }, 2: { 'page.describeAll': { queued: 1 } }, 5: {} });
    const run = commandRunner({ grantUserAsked: async () => undefined, send: tab.send, sendToFrame: tab.send, frameIds: tab.frameIds });
    expect(await run(COMMANDS.describeAll, { id: 1 })).toEqual({ done: true });
    expect(tab.calls.map((c) => c.frameId).sort()).toEqual([0, 2, 5]);
  });

  it('uses the active tab when the browser reports none, and reports a page it can’t run on', async () => {
    const send = vi.fn(async () => {
      throw new Error('Cannot access a chrome:// URL');
    });
    const run = commandRunner({ grantUserAsked: async () => undefined, send: send as never, sendToFrame: send as never, frameIds: async () => [0], activeTabId: async () => 12 });
    expect(await run(COMMANDS.selectArea)).toEqual({ done: false, why: 'page-refused', detail: 'Cannot access a chrome:// URL' });
    expect(send).toHaveBeenCalledWith(12, 'page.selectRegion', {}, 0);
  });

  it('no tab, unknown command: nothing happens', async () => {
    const send = vi.fn();
    const run = commandRunner({ grantUserAsked: async () => undefined, send, sendToFrame: send, frameIds: async () => [0], activeTabId: async () => undefined });
    expect(await run(COMMANDS.selectArea)).toEqual({ done: false, why: 'no-tab' });
    expect(await run('open-the-pod-bay-doors', { id: 1 })).toEqual({ done: false, why: 'unknown-command' });
    expect(send).not.toHaveBeenCalled();
  });
});

describe('injecting the content script into tabs opened before install', () => {
  it('injects once and sends again when the tab has no content script', async () => {
    let injected = false;
    const inject = vi.fn(async () => {
      injected = true;
    });
    const send = vi.fn(async () => {
      if (!injected) throw NO_RECEIVER;
      return { started: true };
    });
    const sendInjecting = pageMessenger({ send: send as never, inject });
    expect(await sendInjecting(7, 'page.selectRegion', {}, 0)).toEqual({ started: true });
    expect(inject).toHaveBeenCalledTimes(1);
    expect(inject).toHaveBeenCalledWith(7);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('sends that fail together share one injection', async () => {
    let injected = false;
    const inject = vi.fn(async () => {
      await new Promise((r) => setTimeout(r, 10));
      injected = true;
    });
    const send = vi.fn(async () => {
      if (!injected) throw NO_RECEIVER;
      return { queued: 1 };
    });
    const sendInjecting = pageMessenger({ send: send as never, inject });
    await Promise.all([0, 1, 2].map((frameId) => sendInjecting(7, 'page.describeAll', {}, frameId)));
    expect(inject).toHaveBeenCalledTimes(1);
  });

  it('retries once only: a tab that still has no receiver fails', async () => {
    const inject = vi.fn(async () => undefined);
    const send = vi.fn(async () => {
      throw NO_RECEIVER;
    });
    await expect(pageMessenger({ send: send as never, inject })(7, 'page.readVisible', {}, 0)).rejects.toThrow('Receiving end does not exist');
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('other failures are not a missing content script: no injection', async () => {
    const inject = vi.fn(async () => undefined);
    const send = vi.fn(async () => {
      throw new Error('"page.selectRegion" is not accepted from any frame content.');
    });
    await expect(pageMessenger({ send: send as never, inject })(7, 'page.selectRegion', {}, 0)).rejects.toThrow('not accepted');
    expect(inject).not.toHaveBeenCalled();
  });

  it('an injection the browser refuses (chrome://, the Web Store) is the caller’s error', async () => {
    const inject = vi.fn(async () => {
      throw new Error('Cannot access contents of the page.');
    });
    const send = vi.fn(async () => {
      throw NO_RECEIVER;
    });
    await expect(pageMessenger({ send: send as never, inject })(7, 'page.selectRegion', {}, 0)).rejects.toThrow('Cannot access');
  });

  it.each([
    { error: NO_RECEIVER, missing: true },
    { error: new Error('Could not establish connection.'), missing: true },
    { error: 'Error: Receiving end does not exist.', missing: true },
    { error: new Error('No tab with id: 7.'), missing: false },
    { error: new Error('The message port closed before a response was received.'), missing: false },
  ])('isNoContentScript($error) is $missing', ({ error, missing }) => {
    expect(isNoContentScript(error)).toBe(missing);
  });

  it('finds the built content script in the manifest', () => {
    expect(contentScriptFiles({ content_scripts: [{ js: ['content-scripts/content.js'] }, { js: ['content-scripts/content.js'] }] })).toEqual([
      'content-scripts/content.js',
    ]);
    expect(contentScriptFiles({})).toEqual([]);
  });
});

describe('the popup’s shortcut list', () => {
  it('lists our commands with their keys, not the toolbar button’s own entry', () => {
    expect(
      shortcutsOf([
        { name: '_execute_action', description: '', shortcut: '' },
        { name: 'select-area-to-read', description: 'Select an area of the page to read its text', shortcut: 'Alt+Shift+R' },
        { name: 'describe-focused-image', description: '', shortcut: '' },
      ]),
    ).toEqual([
      { name: 'select-area-to-read', description: 'Select an area of the page to read its text', shortcut: 'Alt+Shift+R' },
      { name: 'describe-focused-image', description: 'describe-focused-image', shortcut: '' },
    ]);
  });
});
