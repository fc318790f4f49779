/**
 * Chrome's built-in multimodal model (the Prompt API: `LanguageModel`, for extensions since Chrome 138),
 * as a second way to answer questions about an image. Feature-detected, never assumed: most browsers
 * and most machines have no such model, and then the downloaded model answers.
 */
import { t } from '../i18n';
import type { Pixels } from '../images/load';
import { failure, type JobOutcome } from '../engine/jobs';
import type { ChatModelState } from '../messages';
import { MAX_HISTORY_TURNS, tidyAnswer, type AskRequest } from './conversation';

/** The parts of the Prompt API we use, as documented (developer.chrome.com/docs/ai/prompt-api). */
export interface LanguageModelApi {
  availability(options: LanguageModelOptions): Promise<'unavailable' | 'downloadable' | 'downloading' | 'available'>;
  create(options: LanguageModelOptions & { initialPrompts?: PromptMessage[]; signal?: AbortSignal }): Promise<LanguageModelSession>;
}

export interface LanguageModelSession {
  /** Chunks of the answer as they come (each a piece to append). */
  promptStreaming(input: PromptMessage[], options?: { signal?: AbortSignal }): ReadableStream<string>;
  destroy(): void;
}

interface LanguageModelOptions {
  expectedInputs: { type: 'text' | 'image'; languages?: string[] }[];
  expectedOutputs?: { type: 'text'; languages?: string[] }[];
}

export type PromptMessage =
  | { role: 'user'; content: ({ type: 'text'; value: string } | { type: 'image'; value: unknown })[] }
  | { role: 'assistant'; content: string };

const OPTIONS: LanguageModelOptions = {
  expectedInputs: [{ type: 'text', languages: ['en'] }, { type: 'image' }],
  expectedOutputs: [{ type: 'text', languages: ['en'] }],
};

export const BROWSER_MODEL_LABEL = 'Chrome’s built-in model (Gemini Nano)';

/** The browser's `LanguageModel`, or null where there is none. */
export function browserLanguageModel(scope: object = globalThis): LanguageModelApi | null {
  const api = (scope as { LanguageModel?: Partial<LanguageModelApi> }).LanguageModel;
  return api && typeof api.availability === 'function' && typeof api.create === 'function' ? (api as LanguageModelApi) : null;
}

/** What the browser's model can do with images here; null when it can't (no API, or 'unavailable'). */
export async function browserModelState(api: LanguageModelApi | null = browserLanguageModel()): Promise<ChatModelState | null> {
  if (!api) return null;
  const availability = await api.availability(OPTIONS).catch(() => 'unavailable' as const);
  if (availability === 'unavailable') return null;
  // The browser downloads its own model and knows its size; we don't.
  return { engine: 'browser', label: BROWSER_MODEL_LABEL, needsDownload: availability !== 'available', approxDownloadBytes: null };
}

/** Our chat turns as the Prompt API takes them: the image with the first question, the rest as text. */
export function promptMessagesFor(request: AskRequest, image: unknown): { initialPrompts: PromptMessage[]; input: PromptMessage[] } {
  const history = request.history.slice(-MAX_HISTORY_TURNS);
  const questions = [...history.map((turn) => turn.question), request.question];
  const messages: PromptMessage[] = [];
  questions.forEach((question, i) => {
    const text = { type: 'text' as const, value: question };
    messages.push({ role: 'user', content: i === 0 ? [{ type: 'image', value: image }, text] : [text] });
    const answer = history[i]?.answer;
    if (answer !== undefined) messages.push({ role: 'assistant', content: answer });
  });
  return { initialPrompts: messages.slice(0, -1), input: messages.slice(-1) };
}

export async function answerWithBrowserModel(
  pixels: Pixels,
  request: AskRequest,
  { onText, signal }: { onText: (text: string) => void; signal: AbortSignal },
  api: LanguageModelApi | null = browserLanguageModel(),
  toImage: (pixels: Pixels) => Promise<unknown> = bitmapOf,
): Promise<JobOutcome> {
  const state = await browserModelState(api);
  if (!api || !state) return failure('model-failed', t('failureBrowserModelUnavailable'));
  let session: LanguageModelSession | null = null;
  try {
    const { initialPrompts, input } = promptMessagesFor(request, await toImage(pixels));
    session = await api.create({ ...OPTIONS, initialPrompts, signal });
    let text = '';
    const reader = session.promptStreaming(input, { signal }).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += value;
      onText(tidyAnswer(text));
    }
    const answer = tidyAnswer(text);
    return answer ? { ok: true, result: 'answer', text: answer, modelId: 'chrome:LanguageModel' } : failure('model-failed', t('failureNoAnswer'));
  } catch (err) {
    if (signal.aborted) return failure('cancelled', t('failureNobodyNeedsImage'));
    console.warn('AltSight: the browser’s model failed', err);
    return failure('model-failed', t('failureAnswerFailed'));
  } finally {
    session?.destroy();
  }
}

async function bitmapOf(pixels: Pixels): Promise<ImageBitmap> {
  return createImageBitmap(new ImageData(new Uint8ClampedArray(pixels.rgba), pixels.widthPx, pixels.heightPx));
}
