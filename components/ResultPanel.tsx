/** The in-page result panel: a caption or the text read from an image or region, with Copy and "Use as alt text". */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { tokensCss } from '@/components/design-tokens';
import { messagesLocale, t } from '@/lib/i18n';
import { keepTabInside } from '@/lib/page/focus-trap';
import { ASK_SECTION_CSS, AskSection, type AskSectionProps } from './AskSection';

export type PanelResult =
  | { kind: 'working'; label: string }
  /**
   * `hint`: a word about how it was read ("This looks handwritten."); `alternative`: reading it the
   * other way (as handwriting, as print).
   */
  | { kind: 'done'; text: string; hint?: string; alternative?: { label: string; run: () => void } }
  | { kind: 'error'; message: string }
  /** Something to tell the reader that is neither a result nor a failure ("No image under the pointer…"). */
  | { kind: 'notice'; message: string };

export interface ResultPanelProps {
  title: string;
  result: PanelResult;
  onCopy: (text: string) => Promise<void>;
  /** Absent when there is no image to give the text to (a page region). */
  onUseAsAlt?: (text: string) => void;
  /** Runs the request again after a failure (a download that stalled, a network blip). */
  onRetry?: () => void;
  onClose: () => void;
  /** "More detail" and questions about the image, once the first result is in. */
  ask?: AskSectionProps;
}

/** Ids are scoped to the panel's own shadow root: fixed ones can't collide with the page's. */
const TITLE_ID = 'altsight-panel-title';
const WORKING_ID = 'altsight-panel-working';
const RESULT_ID = 'altsight-panel-result';

export function ResultPanel({ title, result, onCopy, onUseAsAlt, onRetry, onClose, ask }: ResultPanelProps) {
  const dialog = useRef<HTMLDivElement>(null);
  const [note, setNote] = useState('');
  // Focus moves in as soon as it is on screen: a key pressed right away is already ours.
  useLayoutEffect(() => dialog.current?.focus(), []);

  const answer = result.kind === 'done' ? result.text : result.kind === 'working' ? '' : result.message;

  return (
    <div
      ref={dialog}
      class="panel"
      role="dialog"
      // Our words, in our language: the page's own `lang` would have a screen reader mispronounce them.
      lang={messagesLocale()}
      aria-labelledby={TITLE_ID}
      aria-describedby={result.kind === 'working' ? WORKING_ID : RESULT_ID}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        } else {
          keepTabInside(e, e.currentTarget);
        }
      }}
    >
      <div class="title" id={TITLE_ID}>
        {title}
      </div>
      {result.kind === 'working' && (
        <p class="working" id={WORKING_ID}>
          {result.label}
        </p>
      )}
      {/*
        The live region is in the panel from the start and stays empty while working, so a screen reader
        announces the finished result (or the failure) once, not "Describing image…" and then the result.
        Model output is rendered as text content; Preact never parses it as HTML. It is not in our words:
        it keeps the page's language; failures and notices are ours.
      */}
      <p
        class={`result ${result.kind}`}
        id={RESULT_ID}
        aria-live="polite"
        data-testid="caption-result"
        lang={result.kind === 'done' ? document.documentElement.lang : undefined}
      >
        {answer}
      </p>
      {result.kind === 'done' && result.hint && <p class="hint">{result.hint}</p>}
      {result.kind === 'done' && (
        <div class="actions">
          <button
            type="button"
            onClick={async () => {
              setNote(await onCopy(result.text).then(() => t('copied'), () => t('panelCopyFailed')));
            }}
          >
            {t('copy')}
          </button>
          {result.alternative && (
            <button
              type="button"
              onClick={() => {
                // The button goes while the panel works: focus stays in the panel, not on the page.
                dialog.current?.focus();
                result.alternative!.run();
              }}
            >
              {result.alternative.label}
            </button>
          )}
          {onUseAsAlt && (
            <button
              type="button"
              onClick={() => {
                onUseAsAlt(result.text);
                setNote(t('panelAltSet'));
              }}
            >
              {t('panelUseAsAlt')}
            </button>
          )}
        </div>
      )}
      {result.kind === 'error' && onRetry && (
        <div class="actions">
          <button
            type="button"
            onClick={() => {
              dialog.current?.focus();
              onRetry();
            }}
          >
            {t('retry')}
          </button>
        </div>
      )}
      <div class="note" role="status" data-testid="panel-note">
        {note}
      </div>
      {ask && result.kind !== 'working' && result.kind !== 'notice' && <AskSection {...ask} />}
      <button type="button" class="close" aria-label={t('close')} title={t('panelCloseTitle')} onClick={onClose}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}

export const RESULT_PANEL_CSS = `
:host { all: initial; }
${tokensCss(':host')}
.panel { position: fixed; z-index: 2147483647; max-width: 420px; max-height: 70vh; overflow: auto; min-width: 220px; box-sizing: border-box;
  padding: var(--as-space-3) 40px var(--as-space-3) 14px; color-scheme: light dark;
  background: var(--as-bg); color: var(--as-fg); border: 1px solid var(--as-border); border-radius: 8px;
  box-shadow: 0 6px 24px rgba(0,0,0,.35); font: var(--as-text-md)/var(--as-line) var(--as-font); text-align: start; }
.panel:focus { outline: 2px solid var(--as-focus); outline-offset: 2px; }
.title { font-weight: 600; margin-bottom: var(--as-space-1); }
.working { margin: 0 0 var(--as-space-2); color: var(--as-fg-muted); }
.result { margin: 0 0 var(--as-space-2); white-space: pre-wrap; overflow-wrap: anywhere; }
.result:empty { margin: 0; }
.result.error { color: var(--as-error); }
.hint { margin: 0 0 var(--as-space-2); font-size: var(--as-text-xs); color: var(--as-fg-muted); }
.actions { display: flex; flex-wrap: wrap; gap: var(--as-space-2); }
button { font: inherit; padding: var(--as-space-1) 10px; border-radius: var(--as-radius); border: 1px solid var(--as-border);
  background: var(--as-bg-raised); color: var(--as-fg); cursor: pointer; }
button:hover { border-color: var(--as-fg); }
button:focus-visible { outline: 2px solid var(--as-focus); outline-offset: 2px; }
.close { position: absolute; top: 6px; right: 6px; width: 28px; height: 28px; padding: 0; border-color: transparent; background: none;
  font-size: var(--as-text-xl); line-height: 1; }
.note { min-height: 1em; font-size: var(--as-text-xs); color: var(--as-fg-muted); margin-top: var(--as-space-1); }
${ASK_SECTION_CSS}`;
