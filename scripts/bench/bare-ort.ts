/**
 * The reference for the benchmark: the same vision-encoder-decoder ONNX files run straight on
 * onnxruntime-web — resize, normalise, encoder once, greedy decoder loop with the KV cache — with no
 * transformers.js, queue, messaging or image fetching. Our time divided by this is our overhead.
 */
import * as ort from 'onnxruntime-web/webgpu';
import { bundledOrtWasmPaths } from '@/lib/engine/backend';

interface VisionEncoderDecoderConfig {
  decoder_start_token_id: number;
  eos_token_id: number;
  decoder: { n_layer: number; n_head: number; n_embd: number; n_positions?: number };
}
interface PreprocessorConfig {
  size: { height: number; width: number };
  image_mean: number[];
  image_std: number[];
  rescale_factor: number;
}

export interface BareModel {
  /** Greedy decoding until end-of-text or the token limit, as transformers.js generates; returns the steps run. */
  caption(bitmap: ImageBitmap, maxNewTokens: number): Promise<number>;
  release(): Promise<void>;
}

export async function loadBareModel(
  modelUrl: string,
  device: 'wasm' | 'webgpu',
  threads: number,
  ortBaseUrl: string,
  suffix = '',
): Promise<BareModel> {
  ort.env.wasm.wasmPaths = bundledOrtWasmPaths(ortBaseUrl);
  ort.env.wasm.numThreads = threads;
  const json = async <T>(file: string) => (await (await fetch(`${modelUrl}${file}`)).json()) as T;
  const config = await json<VisionEncoderDecoderConfig>('config.json');
  const pre = await json<PreprocessorConfig>('preprocessor_config.json');
  const session = async (file: string) =>
    ort.InferenceSession.create(new Uint8Array(await (await fetch(`${modelUrl}onnx/${file}${suffix}.onnx`)).arrayBuffer()), {
      executionProviders: [device],
    });
  const encoder = await session('encoder_model');
  const decoder = await session('decoder_model_merged');
  const { n_layer: layers, n_head: heads, n_embd: width } = config.decoder;
  const headDim = width / heads;
  const { height, width: w } = pre.size;
  const canvas = new OffscreenCanvas(w, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;

  return {
    async caption(bitmap, maxNewTokens) {
      // The same limit as the extension's: max_new_tokens overrides the model's max_length (transformers.js
      // does so too), within the decoder's positions (the start token takes one).
      const limit = Math.min(maxNewTokens, (config.decoder.n_positions ?? Infinity) - 1);
      ctx.drawImage(bitmap, 0, 0, w, height);
      const rgba = ctx.getImageData(0, 0, w, height).data;
      const pixels = new Float32Array(3 * w * height);
      for (let i = 0; i < w * height; i++) {
        for (let c = 0; c < 3; c++) {
          pixels[c * w * height + i] = (rgba[i * 4 + c]! * pre.rescale_factor - pre.image_mean[c]!) / pre.image_std[c]!;
        }
      }
      const encoded = await encoder.run({ pixel_values: new ort.Tensor('float32', pixels, [1, 3, height, w]) });
      const hidden = encoded.last_hidden_state!;
      let past: Record<string, ort.Tensor> = {};
      for (let l = 0; l < layers; l++) {
        for (const kv of ['key', 'value']) {
          past[`past_key_values.${l}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, heads, 0, headDim]);
        }
      }
      let token = config.decoder_start_token_id;
      let steps = 0;
      while (steps < limit) {
        steps++;
        const out = await decoder.run({
          input_ids: new ort.Tensor('int64', BigInt64Array.from([BigInt(token)]), [1, 1]),
          encoder_hidden_states: hidden,
          ...past,
        });
        const logits = (await out.logits!.getData()) as Float32Array;
        const vocab = out.logits!.dims.at(-1)!;
        let best = 0;
        for (let v = 1; v < vocab; v++) if (logits[logits.length - vocab + v]! > logits[logits.length - vocab + best]!) best = v;
        token = best;
        if (token === config.eos_token_id) break;
        const next: Record<string, ort.Tensor> = {};
        for (let l = 0; l < layers; l++) {
          for (const kv of ['key', 'value']) next[`past_key_values.${l}.${kv}`] = out[`present.${l}.${kv}`]!;
        }
        past = next;
      }
      return steps;
    },
    async release() {
      await encoder.release();
      await decoder.release();
    },
  };
}
