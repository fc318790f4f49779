/**
 * The image-chat model the engine host runs (lib/ask/image-chat.ts), in Node (onnxruntime-node), on the
 * SmolVLM-shaped fixture served by a local Hub-like host: every question about every fixture picture is
 * answered right, follow-ups with the conversation so far, and Stop ends an answer where it is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env } from '@huggingface/transformers';
import { DETAIL_QUESTION } from '@/lib/ask/conversation';
import { loadImageChat, type ImageChat } from '@/lib/ask/image-chat';
import { chatModel } from '@/lib/models';
import { IMAGES_DIR, startModelHost, type ModelHost } from '../support/servers';
import { fixturePixels } from '../support/pixels';

const MODEL_ID = 'altsight-test/tiny-shapes-vlm';
const manifest = JSON.parse(readFileSync(join(IMAGES_DIR, 'manifest.json'), 'utf8')) as { file: string; caption: string }[];
/** Plain raster pictures of one shape: "a red circle" → red, circle. */
const pictures = manifest
  .filter((m) => /\.(png|jpe?g|webp)$/i.test(m.file) && /^a \w+ (circle|square|triangle)$/.test(m.caption))
  .map((m) => ({ file: m.file, colour: m.caption.split(' ')[1]!, shape: m.caption.split(' ')[2]! }));
/** What the fixture was trained to say for DETAIL_QUESTION (scripts/vlm-model/generate.py). */
const description = (colour: string, shape: string) => `A ${colour} ${shape} on a plain light background. It is the only thing in the picture.`;

describe('fixture image-chat model through lib/ask', () => {
  let host: ModelHost;
  let chat: ImageChat;

  beforeAll(async () => {
    host = await startModelHost();
    env.remoteHost = `${host.origin}/`;
    env.allowLocalModels = false;
    env.cacheDir = mkdtempSync(join(tmpdir(), 'altsight-models-'));
    chat = await loadImageChat(chatModel(MODEL_ID), 'cpu');
  });
  afterAll(async () => {
    await chat?.dispose();
    await host?.close();
  });

  it('has pictures to ask about', () => {
    expect(pictures.length).toBeGreaterThanOrEqual(5);
  });

  it('downloads every part of the model from the model host, each file once', () => {
    for (const part of ['vision_encoder', 'embed_tokens', 'decoder_model_merged']) {
      expect(host.served.some((p) => p.endsWith(`/onnx/${part}.onnx`))).toBe(true);
    }
    expect(host.served.filter((p, i) => host.served.indexOf(p) !== i)).toEqual([]);
  });

  it('answers what colour and what shape, the second with the first in the conversation', async () => {
    const wrong: string[] = [];
    for (const { file, colour, shape } of pictures) {
      const pixels = await fixturePixels(file);
      const first = await chat.answer(pixels, { history: [], question: 'What colour is the shape?' });
      const second = await chat.answer(pixels, { history: [{ question: 'What colour is the shape?', answer: first }], question: 'What shape is it?' });
      if (first !== colour || second !== shape) wrong.push(`${file}: "${first}", "${second}"`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('gives the detailed description, streaming it token by token', async () => {
    const { file, colour, shape } = pictures[0]!;
    const streamed: string[] = [];
    const answer = await chat.answer(await fixturePixels(file), { history: [], question: DETAIL_QUESTION }, { onText: (t) => streamed.push(t) });
    expect(answer).toBe(description(colour, shape));
    expect(streamed.length).toBeGreaterThan(3);
    expect(streamed.at(-1)).toBe(answer);
    // Each piece grows the one before it.
    expect(streamed.every((t, i) => i === 0 || t.startsWith(streamed[i - 1]!.split(' ').slice(0, -1).join(' ')))).toBe(true);
  }, 60_000);

  it('stops where it is when the signal aborts', async () => {
    const { file, colour, shape } = pictures[0]!;
    const stop = new AbortController();
    let pieces = 0;
    const answer = await chat.answer(await fixturePixels(file), { history: [], question: DETAIL_QUESTION }, {
      signal: stop.signal,
      onText: () => {
        if (++pieces === 2) stop.abort();
      },
    });
    expect(answer.length).toBeGreaterThan(0);
    expect(description(colour, shape).startsWith(answer)).toBe(true);
    expect(answer.length).toBeLessThan(description(colour, shape).length);
  }, 60_000);
});
