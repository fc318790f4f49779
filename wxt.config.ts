import { defineConfig, type Plugin } from 'vite';
import { defineConfig as defineWxtConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { resolve } from 'node:path';
import { ortWasmBuildFor, ortWasmFiles } from './lib/engine/backend';
import { sha256ByFileInFolder } from './scripts/model-sha256';
import { ICON_PATHS, writeIcons } from './scripts/icons';
import { SHIPPED_OCR_FILES, shippedOcrFile } from './scripts/ocr-models/shipped';

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

/**
 * transformers.js 4.3.1 chains every session run (and session creation) in the browser on one shared
 * promise (`runInferenceSession` / `createInferenceSession` in src/backends/onnx.js), so one rejected
 * run rejects every later run in the engine host: one bad image would fail every caption after it.
 * Each link is made to swallow its predecessor's failure; the caller of the failed run still gets it.
 */
function isolateFailedRuns(): Plugin {
  const CHAINS = [
    ['webInferenceChain = webInferenceChain.then(run)', 'webInferenceChain = webInferenceChain.catch(() => undefined).then(run)'],
    ['webInitChain = webInitChain.then(load)', 'webInitChain = webInitChain.catch(() => undefined).then(load)'],
  ] as const;
  return {
    name: 'altsight:isolate-failed-runs',
    transform(code, id) {
      if (!id.includes('@huggingface/transformers') || !code.includes('webInferenceChain')) return null;
      let patched = code;
      for (const [from, to] of CHAINS) {
        if (!patched.includes(from)) throw new Error(`transformers.js changed: "${from}" not found; re-check isolateFailedRuns()`);
        patched = patched.split(from).join(to);
      }
      return { code: patched, map: null };
    },
  };
}

/** The benchmark page ships only in benchmark builds (`npm run bench`), never to users. */
const BENCH_BUILD = process.env.ALTSIGHT_BENCH === '1';
/** Benchmark builds may ship the other ORT build ('jspi' | 'asyncify') to compare them in one browser. */
const ORT_BUILD_OVERRIDE = BENCH_BUILD ? (process.env.ALTSIGHT_ORT_BUILD ?? '') : '';
/** Test builds (`npm run build:test`, used by the e2e suite) carry test hooks; user builds never do. */
const TEST_BUILD = process.env.ALTSIGHT_TEST === '1';
/** The fixture captioner and handwriting reader (scripts/fixture-model, scripts/handwriting-model). */
const FIXTURE_MODEL_IDS = ['altsight-test/tiny-shapes-captioner', 'altsight-test/tiny-handwriting-reader', 'altsight-test/tiny-shapes-vlm'];

export default defineWxtConfig({
  outDir: BENCH_BUILD ? '.output-bench' : TEST_BUILD ? '.output-test' : '.output',
  filterEntrypoints: ['background', 'content', 'offscreen', 'popup', 'options', 'onboarding', ...(BENCH_BUILD ? ['bench'] : []), ...(TEST_BUILD ? ['decode-check'] : [])],
  // `-b firefox` builds for Firefox, MV3 as for Chrome (WXT's default there is MV2): see manifest() below
  // and entrypoints/background/page-engine.ts.
  manifestVersion: 3,
  modules: ['@wxt-dev/webextension-polyfill'],
  // `npm run dev` opens Chromium with the extension; where there is no display (a server, CI) it only
  // builds and watches, instead of crashing with "read ECONNRESET".
  webExt: {
    disabled: process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY,
    binaries: process.env.CHROMIUM_PATH ? { chrome: process.env.CHROMIUM_PATH } : undefined,
  },
  manifest: ({ browser }) => ({
    name: '__MSG_extensionName__',
    description: '__MSG_extensionDescription__',
    // Each is justified in the README ("Permissions"). Firefox has no offscreen documents: its engine host
    // is the background page.
    // Firefox: activeTab reaches a tab the reader acts on (menu, command, popup) even where they withheld the site.
    permissions: ['storage', 'unlimitedStorage', 'contextMenus', ...(browser === 'firefox' ? ['activeTab'] : ['offscreen']), 'clipboardWrite', 'webNavigation', 'scripting'],
    // Suggested keys (Chrome allows four); users change them at chrome://extensions/shortcuts.
    commands: {
      'select-area-to-read': { suggested_key: { default: 'Alt+Shift+R' }, description: '__MSG_commandSelectArea__' },
      'read-visible-page': { suggested_key: { default: 'Alt+Shift+V' }, description: '__MSG_commandReadVisible__' },
      'describe-all-images': { suggested_key: { default: 'Alt+Shift+D' }, description: '__MSG_commandDescribeAll__' },
      'describe-focused-image': { suggested_key: { default: 'Alt+Shift+I' }, description: '__MSG_commandDescribeFocused__' },
    },
    default_locale: 'en',
    // Rendered from assets/icon.svg by the build:before hook below.
    icons: ICON_PATHS,
    action: { default_icon: ICON_PATHS },
    host_permissions: ['<all_urls>'],
    content_security_policy: {
      // wasm-unsafe-eval lets ONNX Runtime compile its bundled WebAssembly; nothing remote is allowed.
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'altsight@altsight.app',
              // MV3 host permissions granted at install (127) and WebAssembly with the ORT build we ship (asyncify).
              strict_min_version: '128.0',
              // Nothing leaves the device (README, "Privacy promise").
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {
          // ONNX Runtime's JSPI build (lib/engine/backend.ts) needs WebAssembly JSPI, shipped in Chrome 137.
          minimum_chrome_version: '137',
          cross_origin_embedder_policy: { value: 'require-corp' },
          cross_origin_opener_policy: { value: 'same-origin' },
        }),
  }),
  hooks: {
    'entrypoints:resolved'(wxt, entrypoints) {
      // Chrome only: Firefox's engine host is its background page.
      if (wxt.config.browser !== 'firefox') return;
      const at = entrypoints.findIndex((e) => e.name === 'offscreen');
      if (at >= 0) entrypoints.splice(at, 1);
    },
    async 'build:before'() {
      // Every icon size from the one SVG; a PNG is rewritten only when its pixels change.
      await writeIcons(resolve());
    },
    'build:publicAssets'(wxt, assets) {
      // The one ONNX Runtime build transformers.js and the OCR load (WebGPU + WASM EPs); shipped, never fetched.
      for (const file of Object.values(ortWasmFiles(ortWasmBuildFor(wxt.config.browser, ORT_BUILD_OVERRIDE)))) {
        assets.push({ absoluteSrc: resolve('node_modules/onnxruntime-web/dist', file), relativeDest: `ort/${file}` });
      }
      for (const file of SHIPPED_OCR_FILES) {
        // PaddleOCR's models from npm, with their elementwise ops folded (scripts/ocr-models).
        assets.push({ absoluteSrc: shippedOcrFile(resolve(), file), relativeDest: `ocr/${file}` });
      }
    },
  },
  vite: async () =>
    defineConfig({
      plugins: [preact(), shipOrtLocally(), isolateFailedRuns()],
      define: {
        'import.meta.env.ALTSIGHT_TEST': JSON.stringify(TEST_BUILD),
        'import.meta.env.ALTSIGHT_ORT_BUILD': JSON.stringify(ORT_BUILD_OVERRIDE),
        // Test builds pin the fixture models' files by sha256, so the integrity check runs end to end there.
        'import.meta.env.ALTSIGHT_TEST_MODEL_PINS': JSON.stringify(
          TEST_BUILD
            ? Object.fromEntries(
                await Promise.all(FIXTURE_MODEL_IDS.map(async (id) => [id, { sha256ByFile: await sha256ByFileInFolder(resolve('tests/fixtures/models', id)) }])),
              )
            : {},
        ),
      },
    }),
});
