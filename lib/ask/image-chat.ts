/**
 * A loaded image-chat model (SmolVLM through transformers.js): an image and a conversation in, an answer
 * out, token by token. Shared by the engine host and the Node integration tests.
 */
import { AutoModelForImageTextToText, AutoProcessor, InterruptableStoppingCriteria, RawImage, TextStreamer } from '@huggingface/transformers';
import type { Pixels } from '../images/load';
import { allOrDispose, loadModelFiles, type CaptionDevice, type ModelLoadOptions } from '../caption/captioner';
import { chatDtypeFor, type ChatModel } from '../models';
import { chatMessagesFor, tidyAnswer, type AskRequest } from './conversation';

export interface AnswerOptions {
  /** The answer so far, after each new token. */
  onText?: (textSoFar: string) => void;
  /** Stops generating at the next token; the answer so far is returned. */
  signal?: AbortSignal;
}

export interface ImageChat {
  modelId: string;
  device: CaptionDevice;
  answer(pixels: Pixels, request: AskRequest, options?: AnswerOptions): Promise<string>;
  dispose(): Promise<void>;
}

type Processor = Awaited<ReturnType<typeof AutoProcessor.from_pretrained>>;
type Model = Awaited<ReturnType<typeof AutoModelForImageTextToText.from_pretrained>>;

export async function loadImageChat(model: ChatModel, device: CaptionDevice, options: ModelLoadOptions & { shaderF16?: boolean } = {}): Promise<ImageChat> {
  const dtype = chatDtypeFor(model, device, options.shaderF16 === true);
  const [processor, vlm] = await loadModelFiles(model, options, (pinned, cancelDownloads) =>
    allOrDispose<[Processor, Model]>([AutoProcessor.from_pretrained(model.id, pinned), AutoModelForImageTextToText.from_pretrained(model.id, { ...pinned, device, dtype })], cancelDownloads),
  );
  const tokenizer = processor.tokenizer;
  if (!tokenizer) throw new Error(`${model.id} has no tokenizer`);
  yieldBeforeEachRun(vlm, 'decoder_model_merged');

  return {
    modelId: model.id,
    device,
    async answer(pixels, request, { onText, signal } = {}) {
      const prompt = processor.apply_chat_template(chatMessagesFor(request), { add_generation_prompt: true }) as string;
      const image = new RawImage(pixels.rgba, pixels.widthPx, pixels.heightPx, 4).rgb();
      // One tile per image: SmolVLM's splitting into 512 px tiles multiplies the prompt (and the wait for
      // the first token) by up to 17 for detail the answers rarely need.
      const inputs = await processor(prompt, [image], { do_image_splitting: false });
      const stop = new InterruptableStoppingCriteria();
      const interrupt = () => stop.interrupt();
      if (signal?.aborted) return '';
      signal?.addEventListener('abort', interrupt, { once: true });
      // Decoded whole after each token: byte-level tokens only make sense together (an é is two of them).
      const newIds: bigint[] = [];
      const streamer = new TextStreamer(tokenizer, {
        skip_prompt: true,
        callback_function: () => undefined,
        token_callback_function: (ids: bigint[]) => {
          newIds.push(...ids);
          onText?.(tidyAnswer(tokenizer.decode(newIds, { skip_special_tokens: true })));
        },
      });
      try {
        await vlm.generate({ ...inputs, max_new_tokens: model.maxNewTokens, do_sample: false, streamer, stopping_criteria: [stop] });
      } finally {
        signal?.removeEventListener('abort', interrupt);
      }
      return tidyAnswer(tokenizer.decode(newIds, { skip_special_tokens: true }));
    },
    dispose: async () => {
      await vlm.dispose();
    },
  };
}

/**
 * generate() awaits only promises between tokens, and ORT on WASM resolves them without giving the event
 * loop a turn: each token's progress message would wait in the engine host until the whole answer was
 * done, and the reader would see it all at once. One macrotask before each decoder step lets them out.
 */
function yieldBeforeEachRun(model: { sessions?: Record<string, { run: (...args: never[]) => Promise<unknown> }> }, sessionName: string): void {
  const session = model.sessions?.[sessionName];
  if (!session) return;
  const run = session.run.bind(session);
  session.run = (async (...args: never[]) => {
    await nextMacrotask();
    return run(...args);
  }) as typeof session.run;
}

/** A MessageChannel round trip: a macrotask without setTimeout's 4 ms clamp on nested timers. */
function nextMacrotask(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
