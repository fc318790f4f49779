/** The captioning models AltSight knows how to run, with the weight precision each backend gets. */
import type { Backend } from './engine/backend';

export type Dtype = 'fp32' | 'fp16' | 'q8' | 'q4';

export interface CaptionModel {
  id: string;
  label: string;
  dtype: Record<Backend, Dtype>;
  /** Long generations are slow on WASM and add little to an alt text. */
  maxNewTokens: number;
}

export const CAPTION_MODELS: readonly CaptionModel[] = [
  {
    // What Firefox ships for its local alt text: a distilled ViT + GPT-2, about 180 MB quantised.
    id: 'Mozilla/distilvit',
    label: 'DistilViT (Mozilla, default)',
    dtype: { webgpu: 'fp32', wasm: 'q8' },
    maxNewTokens: 30,
  },
  {
    id: 'Xenova/vit-gpt2-image-captioning',
    label: 'ViT-GPT2 image captioning',
    dtype: { webgpu: 'fp32', wasm: 'q8' },
    maxNewTokens: 30,
  },
];

export const DEFAULT_CAPTION_MODEL_ID = 'Mozilla/distilvit';

/** Models outside the catalog (mirrors, test fixtures) run at full precision: it always exists. */
export function captionModel(id: string): CaptionModel {
  return (
    CAPTION_MODELS.find((m) => m.id === id) ?? { id, label: id, dtype: { webgpu: 'fp32', wasm: 'fp32' }, maxNewTokens: 30 }
  );
}
