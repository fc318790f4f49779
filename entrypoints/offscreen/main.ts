// Chrome's engine host: service workers have no DOM and die when idle, so models live here.
import { browser } from 'wxt/browser';
import { EngineHost } from '@/lib/engine/host';
import { IdleRelease } from '@/lib/engine/idle-release';
import { listen, sendToBackground } from '@/lib/transport';

const host = new EngineHost({
  ortBaseUrl: browser.runtime.getURL('/ort/' as '/'),
  ocrBaseUrl: browser.runtime.getURL('/ocr/' as '/'),
  glyphBaseUrl: browser.runtime.getURL('/ocr-glyphs/' as '/'),
});

// The background closes this document when asked, if no work is waiting.
const idle = new IdleRelease(() => void sendToBackground('engine.idle', {}).catch(() => undefined));

listen('engine', {
  'engine.run': async ({ job, config }) => idle.during(config.releaseAfterIdleSeconds * 1000, () => host.run(job, config)),
  'engine.status': async () => host.getStatus(),
  'engine.memory': async () => ({ bytes: await host.memoryBytes() }),
  'engine.ping': async () => ({ alive: true as const }),
});
