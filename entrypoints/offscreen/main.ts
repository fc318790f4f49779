// Chrome's engine host: service workers have no DOM and die when idle, so models live here.
import { browser } from 'wxt/browser';
import { EngineHost } from '@/lib/engine/host';
import { listen } from '@/lib/transport';

const host = new EngineHost({
  ortBaseUrl: browser.runtime.getURL('/ort/' as '/'),
  ocrBaseUrl: browser.runtime.getURL('/ocr/' as '/'),
});

listen('engine', {
  'engine.run': async ({ job, config }) => host.run(job, config),
  'engine.status': async () => host.getStatus(),
  'engine.memory': async () => ({ bytes: await host.memoryBytes() }),
  'engine.ping': async () => ({ alive: true as const }),
});
