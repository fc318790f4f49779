/**
 * Greedy decoding for a vision-encoder-decoder captioner, straight on the ONNX sessions transformers.js
 * loaded: the encoder once, then one decoder step per token with the KV cache fed back as the session
 * returned it (on WebGPU it stays on the GPU), and an argmax over the last row of logits. What
 * transformers.js's generate() adds per step — a logits processor pipeline over the whole vocabulary,
 * tensor wrapping, cache bookkeeping — buys nothing when decoding is greedy with no processors.
 */
import { Tensor } from '@huggingface/transformers';

/** An ONNX Runtime tensor as the session gives it (onnxruntime-web or -node). */
interface OrtTensor {
  readonly dims: readonly number[];
  readonly type: string;
  readonly data: ArrayLike<number | bigint>;
  readonly location?: string;
  dispose?(): void;
}

/** The parts of an ONNX Runtime InferenceSession this uses. */
export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly inputMetadata?: readonly { name: string; type?: string; shape?: readonly (number | string)[] }[];
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>>;
}

export interface GreedyPlan {
  encoder: OrtSession;
  decoder: OrtSession;
  startTokenId: number;
  eosTokenIds: readonly number[];
  /** The past inputs' names, types and shapes at step 0 (batch 1, no past). */
  emptyPast: { name: string; type: string; shape: number[] }[];
}

/** The generation settings that make generate() plain greedy argmax; anything else keeps generate(). */
export interface GenerationSettings {
  do_sample?: boolean | null;
  num_beams?: number | null;
  repetition_penalty?: number | null;
  no_repeat_ngram_size?: number | null;
  bad_words_ids?: unknown;
  suppress_tokens?: unknown;
  begin_suppress_tokens?: unknown;
  forced_bos_token_id?: number | null;
  forced_eos_token_id?: number | null;
  min_length?: number | null;
  min_new_tokens?: number | null;
  temperature?: number | null;
  decoder_start_token_id?: number | null;
  bos_token_id?: number | null;
  eos_token_id?: number | number[] | null;
}

/** Whether greedy argmax gives exactly what generate() would with these settings. */
export function isPlainGreedy(g: GenerationSettings): boolean {
  const set = (v: unknown) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0);
  return (
    !g.do_sample &&
    (g.num_beams ?? 1) <= 1 &&
    (g.repetition_penalty ?? 1) === 1 &&
    !(g.no_repeat_ngram_size ?? 0) &&
    !set(g.bad_words_ids) &&
    !set(g.suppress_tokens) &&
    !set(g.begin_suppress_tokens) &&
    !set(g.forced_bos_token_id) &&
    !set(g.forced_eos_token_id) &&
    !(g.min_length ?? 0) &&
    !(g.min_new_tokens ?? 0)
  );
}

/** The decoder inputs we know how to feed; a session that wants others keeps generate(). */
const KNOWN_DECODER_INPUTS = /^(input_ids|encoder_hidden_states|use_cache_branch|past_key_values\..+)$/;

/** A plan for these sessions and settings, or null when generate() must do it (see isPlainGreedy). */
export function greedyPlan(encoder: OrtSession, decoder: OrtSession, generation: GenerationSettings): GreedyPlan | null {
  if (!isPlainGreedy(generation)) return null;
  if (!encoder.inputNames.includes('pixel_values') || !decoder.inputNames.every((n) => KNOWN_DECODER_INPUTS.test(n))) return null;
  const startTokenId = generation.decoder_start_token_id ?? generation.bos_token_id;
  const eos = generation.eos_token_id;
  if (typeof startTokenId !== 'number' || eos === null || eos === undefined) return null;
  const pastNames = decoder.inputNames.filter((n) => n.startsWith('past_key_values.'));
  const metadata = new Map((decoder.inputMetadata ?? []).map((m) => [m.name, m]));
  const emptyPast: GreedyPlan['emptyPast'] = [];
  for (const name of pastNames) {
    const meta = metadata.get(name);
    if (!meta?.shape || (meta.type !== 'float32' && meta.type !== 'float16')) return null;
    // As transformers.js builds it: batch 1, every other symbolic dimension (the past's length) 0.
    emptyPast.push({ name, type: meta.type, shape: meta.shape.map((d) => (typeof d === 'number' ? d : d === 'batch_size' ? 1 : 0)) });
  }
  return { encoder, decoder, startTokenId, eosTokenIds: Array.isArray(eos) ? eos : [eos], emptyPast };
}

/** Where one caption's decoding time went (benchmarks pass one to fill in). */
export interface DecodeTimings {
  encoderMs: number;
  /** Each decoder step's session run. */
  stepMs: number[];
  /** Input tensors, argmax and cache hand-over, all steps together. */
  betweenStepsMs: number;
}

/** The new token ids (end-of-text not included), at most `maxNewTokens`. */
export async function decodeGreedy(plan: GreedyPlan, pixelValues: Tensor, maxNewTokens: number, timings?: DecodeTimings): Promise<number[]> {
  const clock = () => (timings ? performance.now() : 0);
  let at = clock();
  const encoded = await plan.encoder.run({ pixel_values: pixelValues.ort_tensor });
  if (timings) timings.encoderMs += clock() - at;
  const hidden = encoded.last_hidden_state;
  if (!hidden) throw new Error('the encoder gave no last_hidden_state');
  let past: Record<string, OrtTensor> = {};
  for (const { name, type, shape } of plan.emptyPast) {
    const size = shape.reduce((a, b) => a * b, 1);
    past[name] = new Tensor(type as 'float32', type === 'float16' ? new Uint16Array(size) : new Float32Array(size), shape).ort_tensor as OrtTensor;
  }
  const tokens: number[] = [];
  let token = plan.startTokenId;
  try {
    for (let step = 0; step < maxNewTokens; step++) {
      at = clock();
      const feeds: Record<string, unknown> = {
        input_ids: new Tensor('int64', BigInt64Array.of(BigInt(token)), [1, 1]).ort_tensor,
        encoder_hidden_states: hidden,
        ...past,
      };
      if (plan.decoder.inputNames.includes('use_cache_branch')) feeds.use_cache_branch = new Tensor('bool', [step > 0], [1]).ort_tensor;
      const beforeRun = clock();
      const out = await plan.decoder.run(feeds);
      const afterRun = clock();
      token = argmaxOfLastRow(out.logits!);
      release(out.logits!);
      const next: Record<string, OrtTensor> = {};
      for (const name of Object.keys(past)) next[name] = out[name.replace('past_key_values.', 'present.')]!;
      if (step > 0) Object.values(past).forEach(release);
      past = next;
      if (timings) {
        timings.stepMs.push(afterRun - beforeRun);
        timings.betweenStepsMs += beforeRun - at + (clock() - afterRun);
      }
      if (plan.eosTokenIds.includes(token)) break;
      tokens.push(token);
    }
  } finally {
    Object.values(past).forEach(release);
    release(hidden);
  }
  return tokens;
}

function argmaxOfLastRow(logits: OrtTensor): number {
  const vocab = logits.dims.at(-1)!;
  const values = logits.type === 'float32' ? (logits.data as Float32Array) : (new Tensor(logits as never).to('float32').data as Float32Array);
  const start = values.length - vocab;
  let best = 0;
  let bestValue = values[start]!;
  for (let v = 1; v < vocab; v++) {
    const value = values[start + v]!;
    if (value > bestValue) {
      bestValue = value;
      best = v;
    }
  }
  return best;
}

/** GPU-side tensors are ours to free; CPU ones go with the garbage collector. */
function release(t: OrtTensor): void {
  if (t.location === 'gpu-buffer') t.dispose?.();
}
