/**
 * Firefox's engine host: the background page itself (an event page with a document), the same
 * lib/engine code as Chrome's offscreen document behind the same EngineAccess. Extension pages reach it
 * with `engine.*` messages as on Chrome; the background calls its handlers directly.
 */
import { browser } from 'wxt/browser';
import { engineService } from '@/lib/engine/engine-service';
import { KeepAlive } from '@/lib/engine/keep-alive';
import type { KnownSender } from '@/lib/messages';
import { listen } from '@/lib/transport';
import type { EngineAccess } from './engine-access';

const SELF: KnownSender = { role: 'background' };

export function pageEngine(hooks: { onAnswerText: (jobId: string, text: string) => void; onIdle: () => void }): EngineAccess {
  // getPlatformInfo is answered by Firefox's parent process: each call resets the event page's idle timer.
  const keepAlive = new KeepAlive(() => browser.runtime.getPlatformInfo());
  const service = engineService({
    ...hooks,
    whileWorking: (work) => keepAlive.during(work),
    // ORT can't be interrupted: the models are dropped and loaded afresh for the next job.
    onStuck: () => void service.close(),
  });
  listen('engine', service.handlers);
  return {
    send: (name, req) => (service.handlers[name] as (r: unknown, s: KnownSender) => Promise<never>)(req, SELF),
    ensure: async () => undefined,
    discard: () => service.close(),
    isRunning: async () => true,
    // The page can't vanish under its own call: a failure is the job's own.
    isHostGone: () => false,
  };
}
