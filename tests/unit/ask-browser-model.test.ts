import { describe, expect, it, vi } from 'vitest';
import { answerWithBrowserModel, browserLanguageModel, browserModelState, promptMessagesFor, type LanguageModelApi, type PromptMessage } from '@/lib/ask/browser-model';
import type { Pixels } from '@/lib/images/load';

const PIXELS: Pixels = { rgba: new Uint8ClampedArray(4 * 4 * 4), widthPx: 4, heightPx: 4 } as Pixels;
const IMAGE = { bitmap: 'of the image' };

/**
 * A LanguageModel as Chrome documents it: availability() for the expected inputs, create() with
 * initialPrompts, and a session whose promptStreaming() gives a ReadableStream of text pieces.
 */
function fakeLanguageModel(options: { availability?: string; pieces?: string[]; failAfter?: number } = {}) {
  const created: { initialPrompts?: PromptMessage[]; expectedInputs: unknown[] }[] = [];
  const prompted: PromptMessage[][] = [];
  let destroyed = 0;
  const api: LanguageModelApi = {
    availability: vi.fn(async () => (options.availability ?? 'available') as never),
    create: vi.fn(async (opts) => {
      created.push(opts);
      return {
        promptStreaming(input: PromptMessage[], { signal }: { signal?: AbortSignal } = {}) {
          prompted.push(input);
          const pieces = [...(options.pieces ?? ['A red', ' circle', '.'])];
          let sent = 0;
          return new ReadableStream<string>({
            pull(controller) {
              if (signal?.aborted) return controller.error(new DOMException('aborted', 'AbortError'));
              if (options.failAfter !== undefined && sent === options.failAfter) return controller.error(new Error('model crashed'));
              const next = pieces.shift();
              if (next === undefined) controller.close();
              else {
                sent++;
                controller.enqueue(next);
              }
            },
          });
        },
        destroy: () => void destroyed++,
      };
    }),
  };
  return { api, created, prompted, destroyed: () => destroyed };
}

describe('the Prompt API adapter', () => {
  it('is found only where the browser has a LanguageModel with availability() and create()', () => {
    expect(browserLanguageModel({})).toBeNull();
    expect(browserLanguageModel({ LanguageModel: { availability() {} } })).toBeNull();
    const { api } = fakeLanguageModel();
    expect(browserLanguageModel({ LanguageModel: api })).toBe(api);
  });

  it('offers the browser model when it is available or downloadable, and not when unavailable', async () => {
    expect(await browserModelState(null)).toBeNull();
    expect(await browserModelState(fakeLanguageModel({ availability: 'unavailable' }).api)).toBeNull();
    expect(await browserModelState(fakeLanguageModel({ availability: 'available' }).api)).toMatchObject({ engine: 'browser', needsDownload: false });
    expect(await browserModelState(fakeLanguageModel({ availability: 'downloadable' }).api)).toMatchObject({ engine: 'browser', needsDownload: true });
    const { api } = fakeLanguageModel();
    await browserModelState(api);
    expect(api.availability).toHaveBeenCalledWith(expect.objectContaining({ expectedInputs: expect.arrayContaining([{ type: 'image' }]) }));
  });

  it('puts the image with the first question and the earlier answers in initialPrompts', () => {
    const { initialPrompts, input } = promptMessagesFor({ history: [{ question: 'What colour is the shape?', answer: 'red' }], question: 'What shape is it?' }, IMAGE);
    expect(initialPrompts).toEqual([
      { role: 'user', content: [{ type: 'image', value: IMAGE }, { type: 'text', value: 'What colour is the shape?' }] },
      { role: 'assistant', content: 'red' },
    ]);
    expect(input).toEqual([{ role: 'user', content: [{ type: 'text', value: 'What shape is it?' }] }]);
  });

  it('streams the answer piece by piece and gives the whole of it, then frees the session', async () => {
    const fake = fakeLanguageModel();
    const seen: string[] = [];
    const outcome = await answerWithBrowserModel(PIXELS, { history: [], question: 'Describe this image in detail.' }, { onText: (t) => seen.push(t), signal: new AbortController().signal }, fake.api, async () => IMAGE);
    expect(outcome).toEqual({ ok: true, result: 'answer', text: 'A red circle.', modelId: 'chrome:LanguageModel' });
    expect(seen).toEqual(['A red', 'A red circle', 'A red circle.']);
    expect(fake.prompted[0]).toEqual([{ role: 'user', content: [{ type: 'image', value: IMAGE }, { type: 'text', value: 'Describe this image in detail.' }] }]);
    expect(fake.created[0]?.expectedInputs).toEqual(expect.arrayContaining([{ type: 'image' }]));
    expect(fake.destroyed()).toBe(1);
  });

  it('Stop ends the stream as cancelled', async () => {
    const fake = fakeLanguageModel({ pieces: ['one', ' two', ' three'] });
    const stop = new AbortController();
    const outcome = await answerWithBrowserModel(PIXELS, { history: [], question: 'q' }, { onText: () => stop.abort(), signal: stop.signal }, fake.api, async () => IMAGE);
    expect(outcome).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(fake.destroyed()).toBe(1);
  });

  it('says plainly when there is no browser model, or it fails', async () => {
    const signal = new AbortController().signal;
    expect(await answerWithBrowserModel(PIXELS, { history: [], question: 'q' }, { onText: () => undefined, signal }, null)).toMatchObject({ ok: false, reason: 'model-failed' });
    const broken = fakeLanguageModel({ failAfter: 1 });
    expect(await answerWithBrowserModel(PIXELS, { history: [], question: 'q' }, { onText: () => undefined, signal }, broken.api, async () => IMAGE)).toMatchObject({ ok: false, reason: 'model-failed' });
    expect(broken.destroyed()).toBe(1);
  });
});
