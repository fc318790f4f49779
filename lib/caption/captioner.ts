/**
 * A loaded captioning model: pixels in, one sentence out. Shared by the engine host (browser) and
 * the Node integration tests, so both exercise the same code.
 */
import { pipeline, RawImage, type ImageToTextPipeline } from '@huggingface/transformers';
import type { Pixels } from '../images/load';
import type { CaptionModel } from '../models';

/** 'cpu' is onnxruntime-node, used by Node tests and benchmarks; the extension uses webgpu or wasm. */
export type CaptionDevice = 'webgpu' | 'wasm' | 'cpu';

export interface ModelFileProgress {
  file: string;
  loadedBytes: number;
  totalBytes: number;
  done: boolean;
}

export interface Captioner {
  modelId: string;
  device: CaptionDevice;
  caption(pixels: Pixels): Promise<string>;
  dispose(): Promise<void>;
}

export async function loadCaptioner(
  model: CaptionModel,
  device: CaptionDevice,
  onFileProgress: (progress: ModelFileProgress) => void = () => undefined,
): Promise<Captioner> {
  const dtype = device === 'webgpu' ? model.dtype.webgpu : device === 'wasm' ? model.dtype.wasm : 'fp32';
  const pipe = (await pipeline('image-to-text', model.id, {
    device,
    dtype,
    progress_callback: (info: { status: string; file?: string; loaded?: number; total?: number }) => {
      if (!info.file) return;
      if (info.status === 'progress') {
        onFileProgress({ file: info.file, loadedBytes: info.loaded ?? 0, totalBytes: info.total ?? 0, done: false });
      } else if (info.status === 'done') {
        onFileProgress({ file: info.file, loadedBytes: info.loaded ?? -1, totalBytes: info.total ?? -1, done: true });
      }
    },
  })) as ImageToTextPipeline;

  return {
    modelId: model.id,
    device,
    async caption(pixels) {
      const image = new RawImage(pixels.rgba, pixels.widthPx, pixels.heightPx, 4).rgb();
      const output = (await pipe(image, { max_new_tokens: model.maxNewTokens })) as Array<{ generated_text: string }>;
      return tidyCaption(output[0]?.generated_text ?? '');
    },
    dispose: () => pipe.dispose(),
  };
}

/** Models pad with spaces and sometimes repeat the last word when they run out of tokens. */
export function tidyCaption(raw: string): string {
  const words = raw.replace(/\s+/g, ' ').trim().split(' ');
  const kept = words.filter((w, i) => i === 0 || w.toLowerCase() !== words[i - 1]!.toLowerCase());
  return kept.join(' ');
}
