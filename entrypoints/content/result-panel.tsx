/**
 * The result panel feature: a caption or read text next to its image (or the selected region). It takes
 * focus, keeps Tab inside, closes on Escape, and gives focus back to where the reader was.
 */
import { render } from 'preact';
import { RESULT_PANEL_CSS, ResultPanel, type PanelResult } from '@/components/ResultPanel';
import type { AskSectionProps } from '@/components/AskSection';
import { Conversation, type AskRequest } from '@/lib/ask/conversation';
import type { JobOutcome } from '@/lib/engine/jobs';
import type { ChatModelState } from '@/lib/messages';
import { newRequestId } from '@/lib/request-id';
import { formatBytes } from '@/components/options/download-progress';
import { t } from '@/lib/i18n';
import { deepActiveElement, focusReturnTarget } from '@/lib/page/focus-trap';
import type { Rect } from '@/lib/page/region';
import { sendToBackground } from '@/lib/transport';
import { mountInClosedShadow } from './closed-shadow';

export interface ResultPanelOptions {
  title: string;
  workingLabel: string;
  /** Where to put the panel: an element, a viewport rectangle, or nothing (top-left). */
  anchor: Element | Rect | null;
  outcome: Promise<JobOutcome>;
  /** Asks again, when the user presses Retry after a failure; absent where asking again makes no sense. */
  retry?: () => Promise<JobOutcome>;
  useAsAlt?: (outcome: Extract<JobOutcome, { ok: true }>) => void;
  /**
   * Reads the text again with the other reader, when the reader asks ("Read as handwriting", "Read as
   * printed text"); absent for captions.
   */
  readAs?: (kind: 'read-handwriting' | 'read-printed') => Promise<JobOutcome>;
  /** Each answer the panel shows (first and after Retry), e.g. for the popup's list. */
  onOutcome?: (outcome: JobOutcome) => void;
  /**
   * Where focus goes back on close: by default the element focused when the panel opened. Region reads
   * pass the one focused before the picker (which had focus in between); an image's panel passes the image,
   * whose link or button gets focus when nothing else had it.
   */
  returnFocus?: { before?: Element | null; image?: Element | null };
  /** Questions about the image or region ("More detail", "Ask about this image"). */
  ask?: PanelAsk;
}

export interface PanelAsk {
  /** Sends the question; the answer so far arrives through `onText`, the whole answer as the outcome. */
  run: (request: AskRequest, requestId: string, onText: (text: string) => void) => Promise<JobOutcome>;
  cancel: (requestId: string) => void;
  modelState: () => Promise<ChatModelState>;
  /** Opened by "Ask about this image": the question box takes focus once the panel is ready. */
  focusQuestion?: boolean;
  /** Gives an answer to the image as its alt text; absent for a region. */
  useAsAlt?: (text: string, modelId: string | undefined) => void;
}

let closeOpenPanel: (() => void) | null = null;

export function closeResultPanel(): void {
  closeOpenPanel?.();
}

export function showResultPanel({ title, workingLabel, anchor, outcome, retry, readAs, useAsAlt, onOutcome, returnFocus, ask }: ResultPanelOptions): void {
  let done: Extract<JobOutcome, { ok: true }> | null = null;
  const panel = openPanel(title, anchor, returnFocus, (close) => ({
    onUseAsAlt: useAsAlt ? () => done && useAsAlt(done) : undefined,
    onRetry: retry ? () => show(retry()) : undefined,
    onClose: () => {
      const asking = conversation.stop();
      if (asking && ask) ask.cancel(asking);
      close();
    },
    ask: ask ? () => askProps(ask) : undefined,
  }));
  const conversation = new Conversation();
  let modelState: ChatModelState | null = null;
  if (ask) void ask.modelState().then((state) => ((modelState = state), panel.repaint()), () => undefined);
  function askProps(a: PanelAsk): AskSectionProps {
    return {
      turns: conversation.shown,
      answering: conversation.isAnswering,
      modelState,
      focusQuestion: a.focusQuestion === true,
      onAsk: (question, { detail }) => {
        const requestId = newRequestId();
        const request = conversation.ask(question, requestId, { detail });
        if (!request) return;
        panel.repaint();
        const onText = (text: string) => conversation.progress(requestId, text) && panel.repaint();
        void a.run(request, requestId, onText).then((o) => {
          const end = o.ok ? { kind: 'answered' as const, answer: o.text, modelId: o.modelId } : o.reason === 'cancelled' ? { kind: 'stopped' as const } : { kind: 'failed' as const, message: o.message };
          // The model is here now: no more download note.
          if (o.ok && modelState) modelState = { ...modelState, needsDownload: false };
          if (conversation.end(requestId, end)) panel.repaint();
        });
      },
      onStop: () => {
        const requestId = conversation.stop();
        if (requestId) a.cancel(requestId);
        panel.repaint();
      },
      onCopy: copyText,
      onUseAsAlt: a.useAsAlt,
      answerLang: document.documentElement.lang || undefined,
    };
  }
  function show(answer: Promise<JobOutcome>, label = workingLabel): void {
    panel.paint({ kind: 'working', label });
    void answer.then((o) => {
      if (!panel.isOpen()) return;
      if (o.ok) done = o;
      onOutcome?.(o);
      panel.paint(o.ok ? { kind: 'done', text: o.text, ...otherReading(o) } : { kind: 'error', message: o.message });
    });
  }
  function otherReading(o: Extract<JobOutcome, { ok: true }>): Pick<Extract<PanelResult, { kind: 'done' }>, 'hint' | 'alternative'> {
    if (!readAs || o.result !== 'image-text') return {};
    const { handwriting } = o;
    if (handwriting.read) {
      return { hint: t('panelReadByHandwritingModel'), alternative: { label: t('panelReadPrinted'), run: () => show(readAs('read-printed')) } };
    }
    // Asking before a download is the consent: the label says what it costs.
    const label = !handwriting.needsDownload
      ? t('panelReadHandwriting')
      : handwriting.approxDownloadBytes
        ? t('panelReadHandwritingDownload', formatBytes(handwriting.approxDownloadBytes))
        : t('panelReadHandwritingDownloadUnknown');
    return {
      hint: handwriting.looksHandwritten ? t('panelLooksHandwritten') : undefined,
      alternative: { label, run: () => show(readAs('read-handwriting'), t('panelReadingHandwriting')) },
    };
  }
  show(outcome);
}

/** A small panel that only says something ("No image under the pointer or in focus"). */
export function showNoticePanel(title: string, message: string): void {
  openPanel(title, null, undefined, (close) => ({ onClose: close })).paint({ kind: 'notice', message });
}

interface PanelActions {
  onUseAsAlt?: () => void;
  onRetry?: () => void;
  onClose: () => void;
  /** The ask section's props as they are now, read at every paint. */
  ask?: () => AskSectionProps;
}

function openPanel(
  title: string,
  anchor: Element | Rect | null,
  returnFocus: ResultPanelOptions['returnFocus'],
  actions: (close: () => void) => PanelActions,
): { paint(result: PanelResult): void; repaint(): void; isOpen(): boolean } {
  closeOpenPanel?.(); // gives focus back first, so "before" below is the reader's element, not our old panel
  const before = returnFocus?.before !== undefined ? returnFocus.before : deepActiveElement(document);
  const image = returnFocus?.image ?? null;
  const ui = mountInClosedShadow('altsight-panel', RESULT_PANEL_CSS);

  const close = () => {
    if (closeOpenPanel !== close) return;
    closeOpenPanel = null;
    const hadFocus = ui.isConnected && document.activeElement === ui.host;
    ui.remove();
    // Only when focus was still ours: a reader who clicked elsewhere keeps where they went.
    if (hadFocus || document.activeElement === document.body || document.activeElement === null) {
      focusReturnTarget(before, image)?.focus();
    }
  };
  closeOpenPanel = close;
  const { onUseAsAlt, onRetry, onClose, ask } = actions(close);

  let placed = false;
  let shown: PanelResult | null = null;
  const paint = (result: PanelResult) => {
    if (closeOpenPanel !== close) return;
    shown = result;
    render(
      <ResultPanel title={title} result={result} onCopy={copyText} onUseAsAlt={onUseAsAlt} onRetry={onRetry} onClose={onClose} ask={ask?.()} />,
      ui.mount,
    );
    if (!placed) placeNear(ui.mount, anchor);
    placed = true;
  };
  return {
    paint,
    repaint: () => shown && paint(shown),
    isOpen: () => closeOpenPanel === close,
  };
}

function placeNear(mount: HTMLElement, anchor: Element | Rect | null): void {
  const panel = mount.firstElementChild as HTMLElement | null;
  if (!panel) return;
  const rect = anchor && 'getBoundingClientRect' in anchor ? anchor.getBoundingClientRect() : anchor;
  const top = rect ? Math.min(Math.max(8, rect.y), window.innerHeight - 160) : 16;
  const left = rect ? Math.min(Math.max(8, rect.x + rect.width + 8), window.innerWidth - 440) : 16;
  panel.style.top = `${Math.max(8, top)}px`;
  panel.style.left = `${Math.max(8, left)}px`;
}

/**
 * Copied by our own engine document, never through the page: a textarea in the page's DOM would let
 * its scripts read text (OCR of a cross-origin iframe, say) they could not see otherwise.
 */
async function copyText(text: string): Promise<void> {
  const { copied } = await sendToBackground('clipboard.write', { text });
  if (!copied) throw new Error(t('panelClipboardRefused'));
}
