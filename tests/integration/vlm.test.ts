/**
 * The fixture VLM (scripts/vlm-model: SmolVLM / Idefics3 layout) through transformers.js in Node, loaded
 * from disk the way SmolVLM-256M-Instruct is: AutoProcessor + AutoModelForImageTextToText, the chat
 * template, processor(text, [image]), greedy generate(). Every question must be answered exactly on every
 * fixture image, alone and as the second turn of a conversation whose history holds the model's own
 * first answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AutoModelForImageTextToText,
  AutoProcessor,
  env,
  RawImage,
  type PreTrainedModel,
  type Processor,
  type Tensor,
} from '@huggingface/transformers';
import { IMAGES_DIR, MODELS_DIR } from '../support/servers';

const MODEL_ID = 'altsight-test/tiny-shapes-vlm';
const manifest = JSON.parse(readFileSync(join(IMAGES_DIR, 'manifest.json'), 'utf8')) as { file: string; caption: string }[];

const Q_COLOUR = 'What colour is the shape?';
const Q_SHAPE = 'What shape is it?';
const Q_DESCRIBE = 'Describe this image in detail.';
const QUESTIONS = [Q_COLOUR, Q_SHAPE, Q_DESCRIBE];

function expectedAnswer(question: string, colour: string, shape: string): string {
  if (question === Q_COLOUR) return colour;
  if (question === Q_SHAPE) return shape;
  return `${/^[aeiou]/.test(colour) ? 'An' : 'A'} ${colour} ${shape} on a plain light background. It is the only thing in the picture.`;
}

type Content = { type: 'image' } | { type: 'text'; text: string };
interface ChatMessage {
  role: 'user' | 'assistant';
  content: Content[];
}

describe('fixture VLM (SmolVLM layout) in transformers.js', () => {
  let processor: Processor;
  let model: PreTrainedModel;
  const config = JSON.parse(readFileSync(join(MODELS_DIR, MODEL_ID, 'processor_config.json'), 'utf8')) as { image_seq_len: number };
  const modelConfig = JSON.parse(readFileSync(join(MODELS_DIR, MODEL_ID, 'config.json'), 'utf8')) as { image_token_id: number };

  beforeAll(async () => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = MODELS_DIR;
    processor = await AutoProcessor.from_pretrained(MODEL_ID);
    model = await AutoModelForImageTextToText.from_pretrained(MODEL_ID, { dtype: 'fp32', device: 'cpu' });
  });
  afterAll(async () => {
    await model?.dispose();
  });

  async function ask(image: RawImage, messages: ChatMessage[]) {
    // transformers.js types chat messages as { role, content: string }; SmolVLM's template wants content parts
    const text = processor.apply_chat_template(messages as never, { add_generation_prompt: true }) as string;
    const inputs = await processor(text, [image]);
    const output = (await model.generate({ ...inputs, max_new_tokens: 40, do_sample: false })) as Tensor;
    const promptLength = (inputs.input_ids as Tensor).dims.at(-1)!;
    const newTokens = output.slice(null, [promptLength, output.dims.at(-1)!]) as Tensor;
    const [answer = ''] = processor.batch_decode(newTokens, { skip_special_tokens: true });
    return { text, inputs, answer: answer.trim() };
  }

  it('expands <image> into the SmolVLM image block, image_seq_len tokens per image', async () => {
    const image = await RawImage.read(join(IMAGES_DIR, 'red-circle.png'));
    const messages: ChatMessage[] = [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: Q_COLOUR }] }];
    const { text, inputs, answer } = await ask(image, messages);
    expect(text).toBe(`<|im_start|>User:<image>${Q_COLOUR}<end_of_utterance>\nAssistant:`);
    const ids = Array.from((inputs.input_ids as Tensor).data as BigInt64Array, Number);
    expect(ids.filter((id) => id === modelConfig.image_token_id)).toHaveLength(config.image_seq_len);
    expect(processor.tokenizer!.decode(ids.slice(0, 6 + config.image_seq_len))).toBe(
      `<|im_start|>User:<fake_token_around_image><global-img>${'<image>'.repeat(config.image_seq_len)}<fake_token_around_image>`,
    );
    expect((inputs.pixel_values as Tensor).dims).toEqual([1, 1, 3, 32, 32]);
    expect((inputs.pixel_attention_mask as Tensor).dims).toEqual([1, 1, 32, 32]);
    expect(answer).toBe('red');
  });

  it.each(manifest)('answers every question about $file ($caption), alone and as a follow-up', async ({ file, caption }) => {
    const [, colour = '', shape = ''] = caption.split(' ');
    const image = await RawImage.read(join(IMAGES_DIR, file));
    const wrong: string[] = [];
    for (const first of QUESTIONS) {
      const turn1: ChatMessage[] = [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: first }] }];
      const a1 = (await ask(image, turn1)).answer;
      if (a1 !== expectedAnswer(first, colour, shape)) wrong.push(`${first} -> ${JSON.stringify(a1)}`);
      for (const second of QUESTIONS) {
        const turn2: ChatMessage[] = [
          ...turn1,
          { role: 'assistant', content: [{ type: 'text', text: a1 }] },
          { role: 'user', content: [{ type: 'text', text: second }] },
        ];
        const a2 = (await ask(image, turn2)).answer;
        if (a2 !== expectedAnswer(second, colour, shape)) wrong.push(`${first} / ${second} -> ${JSON.stringify(a2)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('tells the images apart rather than repeating one answer', () => {
    expect(new Set(manifest.map((m) => m.caption)).size).toBeGreaterThanOrEqual(5);
  });
});
