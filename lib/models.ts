/**
 * The captioning models AltSight knows how to run: the weight precision each backend gets, the Hub
 * revision the weights are fetched at, and the sha256 of the files we have recorded hashes for.
 */
import type { Backend } from './engine/backend';

export type Dtype = 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';

/** What a repository's default branch is called on the Hub: it follows the repository, pins nothing. */
export const UNPINNED_REVISION = 'main';

export interface CaptionModel {
  id: string;
  label: string;
  dtype: Record<Backend, Dtype>;
  /** Long generations are slow on WASM and add little to an alt text; the model's context may cap it lower. */
  maxNewTokens: number;
  /** Hub revision the files are fetched at (`/{id}/resolve/{revision}/{file}`): a commit hash pins the bytes. */
  revision: string;
  /** sha256 (lowercase hex) by file path in the repository; a listed file that differs is refused. */
  sha256ByFile: Readonly<Record<string, string>>;
  /**
   * About how many bytes a first download fetches on each backend (the dtype's ONNX files plus tokenizer
   * and configs), for the options and onboarding pages. Catalog models only: unknown for the rest.
   */
  approxDownloadBytes?: Readonly<Record<Backend, number>>;
}

/** A revision and file hashes for one model, from outside the catalog (the test build's fixture model). */
export interface ModelPin {
  revision?: string;
  sha256ByFile: Readonly<Record<string, string>>;
}

const MB = 1_000_000;
const MIB = 1_048_576;
/**
 * An allowance, not a measurement, for what transformers.js fetches besides the ONNX files: GPT-2's
 * tokenizer.json (on the order of 1.4 MB) and a few small JSON configs.
 */
const GPT2_TOKENIZER_AND_CONFIGS_BYTES = 1.4 * MB;

export const CAPTION_MODELS: readonly CaptionModel[] = [
  {
    // What Firefox ships for its local alt text: a distilled ViT + GPT-2, about 180 MB quantised.
    id: 'Mozilla/distilvit',
    label: 'DistilViT (Mozilla, default)',
    dtype: { webgpu: 'fp32', wasm: 'q8' },
    maxNewTokens: 30,
    // Not pinned yet: no commit hash of this repository was found in a source we could read (no access to
    // huggingface.co here). Firefox refers to it as `v0.5.0` (an allow-list example in gecko-dev's
    // toolkit/components/ml/tests/browser/browser_ml_utils.js) but downloads from its own model hub, so
    // that tag may not exist on the Hub. Pin the commit it names there, with the files' sha256, once
    // someone can read them from the Hub.
    revision: UNPINNED_REVISION,
    sha256ByFile: {},
    approxDownloadBytes: {
      // q8: onnx/encoder_model_quantized.onnx "~83MB" + onnx/decoder_model_merged_quantized.onnx "~95MB"
      // (MiB, as listed by a public download script for mozilla/distilvit at main), ≈187 MB, which is
      // also what our notes measured in the browser cache after a WASM download.
      wasm: Math.round((83 + 95) * MIB + GPT2_TOKENIZER_AND_CONFIGS_BYTES),
      // fp32: an estimate, no source lists these files. The encoder is the same ViT-Base as ViT-GPT2's
      // (their q8 encoders are the same 83 MiB), whose fp32 file is 327.53 MiB; the distilled decoder
      // scaled by ViT-GPT2's fp32/q8 decoder ratio (586.53 / 151.25 MiB ≈ 3.88) is ≈368 MiB.
      webgpu: Math.round((327.53 + 95 * (586.53 / 151.25)) * MIB + GPT2_TOKENIZER_AND_CONFIGS_BYTES),
    },
  },
  {
    id: 'Xenova/vit-gpt2-image-captioning',
    label: 'ViT-GPT2 image captioning',
    dtype: { webgpu: 'fp32', wasm: 'q8' },
    maxNewTokens: 30,
    // The commit three independent projects pin for this repository (a transformers.js model manifest with
    // its q8 file sizes, a Go caption reference test, a re-packaging that checked every file by sha256).
    // No per-file sha256 of it was found in a readable source, so none is recorded.
    revision: '215b4edcb7ec1fad5905a18a03f7b2007f6fabd0',
    sha256ByFile: {},
    approxDownloadBytes: {
      // q8, exact bytes at this revision from that transformers.js model manifest:
      // onnx/encoder_model_quantized.onnx 87,453,213 + onnx/decoder_model_merged_quantized.onnx 158,599,996.
      wasm: 87_453_213 + 158_599_996 + GPT2_TOKENIZER_AND_CONFIGS_BYTES,
      // fp32, from the re-packaging's model card (same commit, MiB): onnx/encoder_model.onnx 327.53 +
      // onnx/decoder_model_merged.onnx 586.53; its q8 decoder, 151.25 MiB, is the manifest's 158,599,996 bytes.
      webgpu: Math.round((327.53 + 586.53) * MIB + GPT2_TOKENIZER_AND_CONFIGS_BYTES),
    },
  },
];

export const DEFAULT_CAPTION_MODEL_ID = 'Mozilla/distilvit';

/**
 * Handwriting readers: TrOCR runs in transformers.js as a vision-encoder-decoder, like the captioners,
 * one text line in, its words out. Downloaded only when the reader asks for handwriting.
 */
export const HANDWRITING_MODELS: readonly CaptionModel[] = [
  {
    // Microsoft's TrOCR-small fine-tuned on IAM handwriting (DeiT-small encoder, 6-layer decoder), ONNX by Xenova.
    id: 'Xenova/trocr-small-handwritten',
    label: 'TrOCR small (handwritten)',
    dtype: { webgpu: 'fp32', wasm: 'q8' },
    // One line of handwriting; IAM's longest lines are under 100 characters, ~40 tokens.
    maxNewTokens: 64,
    // Not pinned: as for DistilViT, no commit hash of this repository was readable from here.
    revision: UNPINNED_REVISION,
    sha256ByFile: {},
    approxDownloadBytes: {
      // q8 encoder + merged decoder, ~64 MB as the model card lists them, plus the sentencepiece tokenizer.
      wasm: 64 * MB,
      // fp32 is about four times the q8 weights.
      webgpu: 240 * MB,
    },
  },
];

export const DEFAULT_HANDWRITING_MODEL_ID = 'Xenova/trocr-small-handwritten';

/** Models that answer questions about an image (image-text-to-text), for "More detail" and "Ask". */
export interface ChatModel extends CaptionModel {
  /** On WebGPU when the adapter lacks `shader-f16`: f16 weights would not run there. */
  webgpuDtypeWithoutF16: Dtype;
}

export const CHAT_MODELS: readonly ChatModel[] = [
  {
    // Hugging Face's 256M-parameter Idefics3 (SigLIP encoder + SmolLM2 decoder), ONNX files in the repo's onnx/.
    id: 'HuggingFaceTB/SmolVLM-256M-Instruct',
    label: 'SmolVLM 256M (Hugging Face)',
    // WebGPU: 4-bit weights with f16 activations where the GPU computes in f16, 4-bit with f32 otherwise.
    // WASM: 8-bit (`_quantized`, MatMulInteger), the kernels ORT's WASM build is fastest at for weights
    // this size. Not measured on the real files (no access to the Hub here); see docs/benchmarks.md.
    dtype: { webgpu: 'q4f16', wasm: 'q8' },
    webgpuDtypeWithoutF16: 'q4',
    // A detailed description runs to about a hundred words; more only makes the reader wait.
    maxNewTokens: 160,
    // Not pinned: as for DistilViT, no commit hash of this repository was readable from here.
    revision: UNPINNED_REVISION,
    sha256ByFile: {},
    approxDownloadBytes: {
      // The figure the model's own documentation gives for q4f16.
      webgpu: 189 * MB,
      // An estimate: 8-bit weights of ~256M parameters plus the tokenizer and configs.
      wasm: 280 * MB,
    },
  },
];

export const DEFAULT_CHAT_MODEL_ID = 'HuggingFaceTB/SmolVLM-256M-Instruct';

/** The image-chat model to load for `id`, as captionModel does for captioners. */
export function chatModel(id: string, pins: Readonly<Record<string, ModelPin>> = {}): ChatModel {
  const model = catalogModel(CHAT_MODELS, 160, id, pins);
  return { webgpuDtypeWithoutF16: model.dtype.webgpu, ...model };
}

/** The weights to load on `device`: 'cpu' (Node tests) always runs full precision. */
export function chatDtypeFor(model: ChatModel, device: Backend | 'cpu', shaderF16: boolean): Dtype {
  if (device === 'cpu') return 'fp32';
  if (device === 'webgpu' && !shaderF16 && /f16/.test(model.dtype.webgpu)) return model.webgpuDtypeWithoutF16;
  return model.dtype[device];
}

/**
 * The model to load for `id`. Models outside the catalog (mirrors, test fixtures) run at full precision
 * (it always exists) from the repository's default branch, unless `pins` gives them a revision and hashes;
 * pins also add hashes to catalog models.
 */
export function captionModel(id: string, pins: Readonly<Record<string, ModelPin>> = {}): CaptionModel {
  return catalogModel(CAPTION_MODELS, 30, id, pins);
}

/** The handwriting reader to load for `id`, as captionModel does for captioners. */
export function handwritingModel(id: string, pins: Readonly<Record<string, ModelPin>> = {}): CaptionModel {
  return catalogModel(HANDWRITING_MODELS, 64, id, pins);
}

function catalogModel<M extends CaptionModel>(catalog: readonly M[], maxNewTokens: number, id: string, pins: Readonly<Record<string, ModelPin>>): M | CaptionModel {
  const model = catalog.find((m) => m.id === id) ?? {
    id,
    label: id,
    dtype: { webgpu: 'fp32', wasm: 'fp32' },
    maxNewTokens,
    revision: UNPINNED_REVISION,
    sha256ByFile: {},
  };
  const pin = pins[id];
  if (!pin) return model;
  return { ...model, revision: pin.revision ?? model.revision, sha256ByFile: { ...model.sha256ByFile, ...pin.sha256ByFile } };
}

/**
 * How many tokens a caption may grow to: what the model entry allows, and never past the decoder's
 * position limit. A GPT-2 decoder has one position embedding per slot (`n_positions`); a sequence longer
 * than that makes ORT gather position `n_positions` ("Gather … idx=16" on the 16-position test model).
 * We keep prompt + new tokens within the limit, the convention transformers follows: the last token is
 * never fed back, so one more would run today, but only by that accident of the generation loop.
 */
export function maxNewTokensWithin(wantedNewTokens: number, positionLimit: number | null, promptTokens: number): number {
  if (positionLimit === null || !Number.isFinite(positionLimit) || positionLimit <= 0) return wantedNewTokens;
  return Math.max(1, Math.min(wantedNewTokens, positionLimit - promptTokens));
}

/**
 * The decoder's position limit from a model config as transformers.js loads it (config.json): the
 * `decoder` section of an encoder-decoder model, or the model itself. Null when it names none.
 */
export function decoderPositionLimit(config: unknown): number | null {
  const top = (config ?? {}) as Record<string, unknown>;
  const decoder = (typeof top.decoder === 'object' && top.decoder !== null ? top.decoder : top) as Record<string, unknown>;
  for (const key of ['n_positions', 'max_position_embeddings', 'n_ctx']) {
    const value = decoder[key];
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  }
  return null;
}
