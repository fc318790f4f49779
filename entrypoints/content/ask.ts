/** Questions about an image or a captured region, from the result panel to the background and back. */
import type { PanelAsk } from './result-panel';
import type { ImageSource } from '@/lib/engine/jobs';
import { sendToBackground } from '@/lib/transport';

/** Where each answer in progress in this frame goes, by request id. */
const answerListeners = new Map<string, (text: string) => void>();

/** For `page.answerProgress`: false when no question of this frame has that id (stopped, finished). */
export function deliverAnswerText(requestId: string, text: string): boolean {
  const listener = answerListeners.get(requestId);
  listener?.(text);
  return listener !== undefined;
}

export type AskTarget = { kind: 'image'; source: () => Promise<ImageSource> } | { kind: 'capture'; captureId: string };

export function panelAsk(target: AskTarget, options: Pick<PanelAsk, 'focusQuestion' | 'useAsAlt'> = {}): PanelAsk {
  return {
    ...options,
    async run(request, requestId, onText) {
      answerListeners.set(requestId, onText);
      try {
        const sent = target.kind === 'capture' ? target : { kind: 'image' as const, source: await target.source() };
        return await sendToBackground('ask.request', { target: sent, ...request, requestId });
      } catch (err) {
        return { ok: false, reason: 'unsupported-source', message: err instanceof Error ? err.message : String(err) };
      } finally {
        answerListeners.delete(requestId);
      }
    },
    cancel(requestId) {
      answerListeners.delete(requestId);
      void sendToBackground('job.cancel', { requestIds: [requestId] }).catch(() => undefined);
    },
    modelState: () => sendToBackground('ask.modelState', {}),
  };
}
