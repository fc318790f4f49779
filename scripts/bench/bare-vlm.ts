/**
 * The reference for the question-answering benchmark: the same Idefics3 (SmolVLM) ONNX files run straight
 * on onnxruntime-web — vision encoder once, token embeddings, image features put in place of the image
 * tokens, a greedy decoder loop with the KV cache — with no transformers.js generate(), queue, messaging or
 * image fetching. Inputs come from transformers.js's own processor (the same pixels and prompt the
 * extension builds), which is timed as part of the reference: only what is ours beyond it counts as overhead.
 */
import * as ort from 'onnxruntime-web/webgpu';
import { AutoProcessor, env, RawImage } from '@huggingface/transformers';
import { bundledOrtWasmPaths } from '@/lib/engine/backend';
import { chatMessagesFor } from '@/lib/ask/conversation';

interface Idefics3Config {
  image_token_id: number;
  eos_token_id: number;
  text_config: { num_hidden_layers: number; num_key_value_heads: number; num_attention_heads: number; hidden_size: number; head_dim?: number };
}

export interface BareAnswer {
  /** From the image's pixels to the first new token. */
  firstTokenMs: number;
  totalMs: number;
  tokens: number;
}

export interface BareVlm {
  answer(bitmap: ImageBitmap, question: string, maxNewTokens: number): Promise<BareAnswer>;
  release(): Promise<void>;
}

type AnyTensor = { type: string; data: ArrayLike<unknown>; dims: number[] };
const toOrt = (t: AnyTensor) => new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims);

export async function loadBareVlm(modelHost: string, modelId: string, threads: number, ortBaseUrl: string, suffix = ''): Promise<BareVlm> {
  const repoUrl = `${modelHost}${modelId}/resolve/main/`;
  env.remoteHost = modelHost;
  env.allowLocalModels = false;
  ort.env.wasm.wasmPaths = bundledOrtWasmPaths(ortBaseUrl);
  ort.env.wasm.numThreads = threads;
  const config = (await (await fetch(`${repoUrl}config.json`)).json()) as Idefics3Config;
  const processor = await AutoProcessor.from_pretrained(modelId);
  const session = async (file: string) =>
    ort.InferenceSession.create(new Uint8Array(await (await fetch(`${repoUrl}onnx/${file}${suffix}.onnx`)).arrayBuffer()), { executionProviders: ['wasm'] });
  const vision = await session('vision_encoder');
  const embed = await session('embed_tokens');
  const decoder = await session('decoder_model_merged');
  const text = config.text_config;
  const headDim = text.head_dim ?? text.hidden_size / text.num_attention_heads;

  return {
    async answer(bitmap, question, maxNewTokens) {
      const start = performance.now();
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const rgba = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      const image = new RawImage(rgba, bitmap.width, bitmap.height, 4).rgb();
      const prompt = processor.apply_chat_template(chatMessagesFor({ history: [], question }), { add_generation_prompt: true }) as string;
      const inputs = (await processor(prompt, [image], { do_image_splitting: false })) as Record<string, AnyTensor>;

      const visionFeeds: Record<string, ort.Tensor> = {};
      for (const name of vision.inputNames) {
        const t = inputs[name]!;
        visionFeeds[name] = t.type === 'bool' ? new ort.Tensor('bool', Uint8Array.from(t.data as ArrayLike<number>, Number), t.dims) : toOrt(t);
      }
      const features = (await vision.run(visionFeeds)).image_features!;
      const featureData = (await features.getData()) as Float32Array;
      const ids = inputs.input_ids!;
      const embeds = (await embed.run({ input_ids: toOrt(ids) })).inputs_embeds!;
      const width = embeds.dims.at(-1)!;
      const merged = Float32Array.from((await embeds.getData()) as Float32Array);
      let row = 0;
      (ids.data as BigInt64Array).forEach((id, i) => {
        if (Number(id) !== config.image_token_id) return;
        merged.set(featureData.subarray(row * width, (row + 1) * width), i * width);
        row++;
      });

      let past: Record<string, ort.Tensor> = {};
      for (let l = 0; l < text.num_hidden_layers; l++) {
        for (const kv of ['key', 'value']) past[`past_key_values.${l}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, text.num_key_value_heads, 0, headDim]);
      }
      let step: ort.Tensor = new ort.Tensor('float32', merged, embeds.dims);
      let length = 0;
      let firstTokenMs = 0;
      let tokens = 0;
      while (tokens < maxNewTokens) {
        const stepLength = step.dims[1]!;
        const feeds: Record<string, ort.Tensor> = { inputs_embeds: step, ...past };
        if (decoder.inputNames.includes('attention_mask')) feeds.attention_mask = new ort.Tensor('int64', new BigInt64Array(length + stepLength).fill(1n), [1, length + stepLength]);
        if (decoder.inputNames.includes('position_ids')) {
          feeds.position_ids = new ort.Tensor('int64', BigInt64Array.from({ length: stepLength }, (_, i) => BigInt(length + i)), [1, stepLength]);
        }
        const out = await decoder.run(feeds);
        length += stepLength;
        const logits = (await out.logits!.getData()) as Float32Array;
        const vocab = out.logits!.dims.at(-1)!;
        const last = logits.length - vocab;
        let best = 0;
        for (let v = 1; v < vocab; v++) if (logits[last + v]! > logits[last + best]!) best = v;
        tokens++;
        if (tokens === 1) firstTokenMs = performance.now() - start;
        if (best === config.eos_token_id) break;
        const next: Record<string, ort.Tensor> = {};
        for (let l = 0; l < text.num_hidden_layers; l++) for (const kv of ['key', 'value']) next[`past_key_values.${l}.${kv}`] = out[`present.${l}.${kv}`]!;
        past = next;
        const embedded = (await embed.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from([BigInt(best)]), [1, 1]) })).inputs_embeds!;
        step = embedded;
      }
      return { firstTokenMs, totalMs: performance.now() - start, tokens };
    },
    async release() {
      await Promise.all([vision.release(), embed.release(), decoder.release()]);
    },
  };
}
