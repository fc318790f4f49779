// Chrome's engine host: service workers have no DOM and die when idle, so models live here.
import { engineService } from '@/lib/engine/engine-service';
import { installPackagedMessages } from '@/lib/i18n';
import { listen, offerEngineToBackground, sendToBackground } from '@/lib/transport';

// Before any job: its failures are told in the user's language (this document has no chrome.i18n).
await installPackagedMessages(new URLSearchParams(location.search).get('locale'));

const service = engineService({
  // An answer streams back as it grows; the background passes it on to the asking frame.
  onAnswerText: (jobId, text) => void sendToBackground('engine.answerProgress', { jobId, text }).catch(() => undefined),
  // The background closes this document when asked, if no work is waiting.
  onIdle: () => void sendToBackground('engine.idle', {}).catch(() => undefined),
  onStuck: () => void sendToBackground('engine.stuck', {}).catch(() => undefined),
});
listen('engine', service.handlers);
// The background's calls come faster on a port of our own (lib/transport.ts).
offerEngineToBackground(service.handlers);
