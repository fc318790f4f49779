import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAPTION_MODELS, captionModel, chatDtypeFor, chatModel, decoderPositionLimit, DEFAULT_CHAT_MODEL_ID, maxNewTokensWithin, UNPINNED_REVISION } from '@/lib/models';

const FIXTURE_CONFIG = join(import.meta.dirname, '../fixtures/models/altsight-test/tiny-shapes-captioner/config.json');

describe('captionModel', () => {
  it('gives catalog models their revision, and a full-precision, unpinned default to the rest', () => {
    expect(captionModel('Xenova/vit-gpt2-image-captioning').revision).toBe('215b4edcb7ec1fad5905a18a03f7b2007f6fabd0');
    expect(captionModel('mirror/some-captioner')).toEqual({
      id: 'mirror/some-captioner',
      label: 'mirror/some-captioner',
      dtype: { webgpu: 'fp32', wasm: 'fp32' },
      maxNewTokens: 30,
      revision: UNPINNED_REVISION,
      sha256ByFile: {},
    });
  });

  it('takes a revision and hashes from pins, adding to what the catalog records', () => {
    const pins = {
      'altsight-test/tiny-shapes-captioner': { revision: 'f00d', sha256ByFile: { 'config.json': 'aa' } },
      'Xenova/vit-gpt2-image-captioning': { sha256ByFile: { 'onnx/encoder_model.onnx': 'bb' } },
    };
    expect(captionModel('altsight-test/tiny-shapes-captioner', pins)).toMatchObject({ revision: 'f00d', sha256ByFile: { 'config.json': 'aa' } });
    expect(captionModel('Xenova/vit-gpt2-image-captioning', pins)).toMatchObject({
      revision: '215b4edcb7ec1fad5905a18a03f7b2007f6fabd0',
      sha256ByFile: { 'onnx/encoder_model.onnx': 'bb' },
    });
  });

  it('records only well-formed pins: 40-hex commits or main, 64-hex sha256s', () => {
    for (const model of CAPTION_MODELS) {
      expect(model.revision).toMatch(/^([0-9a-f]{40}|main)$/);
      for (const sha256 of Object.values(model.sha256ByFile)) expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});

describe('maxNewTokensWithin', () => {
  it.each([
    // wanted, position limit, prompt tokens, allowed
    [30, 16, 1, 15], // the fixture: 1 start token + 15 new = 16 positions
    [30, 1024, 1, 30], // GPT-2's 1024 positions never bind a 30-token caption
    [10, 16, 1, 10],
    [30, null, 1, 30], // a config that names no limit: trust the catalog
    [30, 1, 1, 1], // degenerate limits still allow one token rather than none
  ])('wants %i, limit %s, prompt %i → %i', (wanted, limit, prompt, allowed) => {
    expect(maxNewTokensWithin(wanted, limit, prompt)).toBe(allowed);
  });
});

describe('decoderPositionLimit', () => {
  it("reads the decoder's n_positions of an encoder-decoder config", () => {
    expect(decoderPositionLimit(JSON.parse(readFileSync(FIXTURE_CONFIG, 'utf8')))).toBe(16);
  });

  it('reads max_position_embeddings of a decoder-only config, and null when none is named', () => {
    expect(decoderPositionLimit({ model_type: 'llama', max_position_embeddings: 2048 })).toBe(2048);
    expect(decoderPositionLimit({ decoder: { model_type: 'gpt2' } })).toBeNull();
    expect(decoderPositionLimit(undefined)).toBeNull();
  });
});

describe('the image-chat model catalog', () => {
  const smol = chatModel(DEFAULT_CHAT_MODEL_ID);
  it('runs SmolVLM at q4f16 on a GPU with shader-f16, at q4 on one without, q8 on WASM and full precision in Node', () => {
    expect(chatDtypeFor(smol, 'webgpu', true)).toBe('q4f16');
    expect(chatDtypeFor(smol, 'webgpu', false)).toBe('q4');
    expect(chatDtypeFor(smol, 'wasm', true)).toBe('q8');
    expect(chatDtypeFor(smol, 'cpu', true)).toBe('fp32');
  });

  it('runs a model outside the catalog (a fixture, a mirror) at full precision everywhere', () => {
    const other = chatModel('someone/tiny-vlm');
    expect(other).toMatchObject({ id: 'someone/tiny-vlm', revision: UNPINNED_REVISION });
    expect(['webgpu', 'wasm'].map((b) => chatDtypeFor(other, b as 'webgpu' | 'wasm', false))).toEqual(['fp32', 'fp32']);
  });
});
