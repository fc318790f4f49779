/**
 * The captioner the engine host runs, in Node (onnxruntime-node), on the fixture model served by a
 * local Hub-like host: every fixture image must get its exact caption.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env } from '@huggingface/transformers';
import { loadCaptioner, type Captioner } from '@/lib/caption/captioner';
import { captionModel } from '@/lib/models';
import { IMAGES_DIR, startModelHost, type ModelHost } from '../support/servers';
import { fixturePixels } from '../support/pixels';

const MODEL_ID = 'altsight-test/tiny-shapes-captioner';
const manifest = JSON.parse(readFileSync(join(IMAGES_DIR, 'manifest.json'), 'utf8')) as { file: string; caption: string }[];

describe('fixture captioner through lib/caption', () => {
  let host: ModelHost;
  let captioner: Captioner;
  const progress: string[] = [];

  beforeAll(async () => {
    host = await startModelHost();
    env.remoteHost = `${host.origin}/`;
    env.allowLocalModels = false;
    // onnxruntime-node loads from disk, so files land in a fresh cache: every run downloads, as a first use does.
    env.cacheDir = mkdtempSync(join(tmpdir(), 'altsight-models-'));
    captioner = await loadCaptioner(captionModel(MODEL_ID), 'cpu', (p) => progress.push(`${p.file}:${p.done ? 'done' : 'part'}`));
  });
  afterAll(async () => {
    await captioner?.dispose();
    await host?.close();
  });

  it('downloads the model from the model host with per-file progress', () => {
    expect(host.served.some((p) => p.endsWith('/onnx/encoder_model.onnx'))).toBe(true);
    expect(host.served.some((p) => p.endsWith('/onnx/decoder_model_merged.onnx'))).toBe(true);
    expect(progress).toContain('onnx/encoder_model.onnx:done');
  });

  it('requests each file once', () => {
    // transformers.js's pipeline() used to probe each file first: 13 requests for 7 files.
    expect(host.served.length).toBeGreaterThanOrEqual(7);
    expect(host.served.filter((p, i) => host.served.indexOf(p) !== i)).toEqual([]);
  });

  it('decodes greedily on the sessions themselves (no generate(): the fixture decodes greedy, with no logits processors)', () => {
    expect(captioner.decoding).toBe('greedy');
  });

  it("keeps generation within the decoder's 16 positions", async () => {
    expect(captioner.maxNewTokens).toBe(15);
    // All black: the fixture model says "a black black black …" until its positions run out; with 30 new
    // tokens, ORT failed on position 16 ("Gather … idx=16").
    expect(await captioner.caption(await fixturePixels('model-breaker.png'))).toBe('a black');
  });

  it('stops at fewer new tokens when asked (the engine host\'s warm-up), never more than the model allows', async () => {
    const red = await fixturePixels('red-circle.png');
    expect(await captioner.caption(red, { maxNewTokens: 2 })).toBe('a red');
    expect(await captioner.caption(red, { maxNewTokens: 100 })).toBe('a red circle');
  });

  const rasterImages = manifest.filter((m) => !m.file.endsWith('.svg'));
  it.each(rasterImages)('captions $file as "$caption"', async ({ file, caption }) => {
    expect(await captioner.caption(await fixturePixels(file))).toBe(caption);
  });

  it('tells colours and shapes apart rather than repeating one answer', () => {
    expect(new Set(rasterImages.map((m) => m.caption)).size).toBeGreaterThanOrEqual(5);
  });
});
