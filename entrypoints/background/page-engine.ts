/**
 * Firefox's engine host: the background page itself (an event page with a document), the same
 * lib/engine code as Chrome's offscreen document behind the same EngineAccess. Extension pages reach it
 * with `engine.*` messages as on Chrome; the background calls its handlers directly.
 *
 * The engine (transformers.js and ONNX Runtime, half a megabyte) is imported on first use, not
 * statically: so Chrome's service worker, which never runs it, doesn't carry it and parse it at every
 * start.
 */
import { browser } from 'wxt/browser';
import type { EngineService } from '@/lib/engine/engine-service';
import { KeepAlive } from '@/lib/engine/keep-alive';
import { deferredHandlers, type KnownSender } from '@/lib/messages';
import { listen } from '@/lib/transport';
import type { EngineAccess } from './engine-access';

const SELF: KnownSender = { role: 'background' };

export function pageEngine(hooks: { onAnswerText: (jobId: string, text: string) => void; onIdle: () => void }): EngineAccess {
  // getPlatformInfo is answered by Firefox's parent process: each call resets the event page's idle timer.
  const keepAlive = new KeepAlive(() => browser.runtime.getPlatformInfo());
  const service: Promise<EngineService> = import('@/lib/engine/engine-service').then(({ engineService }) => {
    const created = engineService({
      ...hooks,
      whileWorking: (work) => keepAlive.during(work),
      // ORT can't be interrupted: the models are dropped and loaded afresh for the next job.
      onStuck: () => void created.close(),
    });
    return created;
  });
  listen('engine', deferredHandlers('engine', service.then((s) => s.handlers)));
  return {
    send: async (name, req) => ((await service).handlers[name] as (r: unknown, s: KnownSender) => Promise<never>)(req, SELF),
    ensure: async () => undefined,
    discard: async () => (await service).close(),
    isRunning: async () => true,
    // The page can't vanish under its own call: a failure is the job's own.
    isHostGone: () => false,
  };
}
