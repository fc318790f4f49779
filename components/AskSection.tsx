/**
 * "More detail" and "Ask about this image" in the result panel: the conversation so far, the answer
 * streaming in, Stop, and Copy / "Use as alt text" for each answer. Screen readers hear each finished
 * answer once, from a status region, never the tokens as they stream.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { formatBytes } from '@/components/options/download-progress';
import { DETAIL_QUESTION, MAX_QUESTION_CHARS, type ShownTurn } from '@/lib/ask/conversation';
import { t } from '@/lib/i18n';
import type { ChatModelState } from '@/lib/messages';

export interface AskSectionProps {
  turns: readonly ShownTurn[];
  answering: boolean;
  /** What answers, and whether the first question downloads it; null while unknown. */
  modelState: ChatModelState | null;
  /** Opened by "Ask about this image": the question box takes focus. */
  focusQuestion: boolean;
  onAsk: (question: string, options: { detail: boolean }) => void;
  onStop: () => void;
  onCopy: (text: string) => Promise<void>;
  onUseAsAlt?: (text: string, modelId: string | undefined) => void;
  /** The language of what the model says: the page's. */
  answerLang?: string;
}

const QUESTION_ID = 'altsight-ask-question';
const MODEL_NOTE_ID = 'altsight-ask-model';

export function AskSection({ turns, answering, modelState, focusQuestion, onAsk, onStop, onCopy, onUseAsAlt, answerLang }: AskSectionProps) {
  const question = useRef<HTMLInputElement>(null);
  const [draft, setDraft] = useState('');
  const [note, setNote] = useState('');
  const [announced, setAnnounced] = useState('');
  useLayoutEffect(() => {
    if (focusQuestion) question.current?.focus();
  }, [focusQuestion]);

  // The finished answer, said once; Stop's button leaves with the stream, so focus goes to the question.
  const last = turns.at(-1);
  const lastState = last?.state;
  useEffect(() => {
    if (!last) return;
    // Emptied while an answer streams, so the same words twice ("red", "red") are still said twice.
    if (lastState === 'streaming') setAnnounced('');
    else setAnnounced(lastState === 'answered' ? last.answer : lastState === 'stopped' ? t('askStopped') : (last.message ?? ''));
  }, [turns.length, lastState]);
  const stopHadFocus = useRef(false);
  useLayoutEffect(() => {
    if (!answering && stopHadFocus.current) question.current?.focus();
    stopHadFocus.current = false;
  }, [answering]);

  const ask = (text: string, detail: boolean) => {
    if (answering) return;
    setNote('');
    onAsk(text, { detail });
  };

  return (
    <section class="ask" aria-label={t('askSectionLabel')}>
      {modelState?.needsDownload && (
        <p class="hint" id={MODEL_NOTE_ID} data-testid="ask-model-note">
          {modelState.approxDownloadBytes
            ? t('askDownloadNote', modelState.label, formatBytes(modelState.approxDownloadBytes))
            : t('askDownloadNoteUnknown', modelState.label)}
        </p>
      )}
      {turns.length > 0 && (
        <ol class="turns" data-testid="ask-turns">
          {turns.map((turn, i) => (
            <li key={i} class={`turn ${turn.state}`} data-state={turn.state}>
              <p class="question">{turn.detail ? t('askMoreDetail') : turn.question}</p>
              {/* Model output as text content, never HTML; the live region below speaks it once finished. */}
              <p class="answer" lang={turn.state === 'failed' ? undefined : answerLang} data-testid="ask-answer">
                {turn.state === 'failed' ? turn.message : turn.answer}
                {turn.state === 'streaming' && turn.answer === '' && <span class="working">{t('askThinking')}</span>}
              </p>
              {turn.state === 'stopped' && <p class="hint">{t('askStopped')}</p>}
              {(turn.state === 'answered' || (turn.state === 'stopped' && turn.answer)) && (
                <div class="actions">
                  <button type="button" onClick={async () => setNote(await onCopy(turn.answer).then(() => t('copied'), () => t('panelCopyFailed')))}>
                    {t('copy')}
                  </button>
                  {onUseAsAlt && (
                    <button
                      type="button"
                      onClick={() => {
                        onUseAsAlt(turn.answer, turn.modelId);
                        setNote(t('panelAltSet'));
                      }}
                    >
                      {t('panelUseAsAlt')}
                    </button>
                  )}
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
      <div class="actions">
        <button
          type="button"
          aria-disabled={answering}
          aria-describedby={modelState?.needsDownload ? MODEL_NOTE_ID : undefined}
          onClick={() => ask(DETAIL_QUESTION, true)}
        >
          {t('askMoreDetail')}
        </button>
        {answering && (
          <button
            type="button"
            onFocus={() => (stopHadFocus.current = true)}
            onBlur={() => (stopHadFocus.current = false)}
            onClick={() => {
              // Focus moves to the question before the button goes.
              stopHadFocus.current = false;
              question.current?.focus();
              onStop();
            }}
          >
            {t('askStop')}
          </button>
        )}
      </div>
      <form
        class="ask-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (answering || draft.trim() === '') return;
          ask(draft, false);
          setDraft('');
        }}
      >
        <label for={QUESTION_ID}>{t('askLabel')}</label>
        <div class="ask-row">
          <input
            ref={question}
            id={QUESTION_ID}
            type="text"
            maxLength={MAX_QUESTION_CHARS}
            autoComplete="off"
            value={draft}
            aria-describedby={modelState?.needsDownload ? MODEL_NOTE_ID : undefined}
            onInput={(e) => setDraft(e.currentTarget.value)}
          />
          <button type="submit" aria-disabled={answering}>
            {t('askSubmit')}
          </button>
        </div>
      </form>
      <div class="note" role="status">
        {note}
      </div>
      <div class="visually-hidden" role="status" data-testid="ask-announcement">
        {announced}
      </div>
    </section>
  );
}

export const ASK_SECTION_CSS = `
.ask { margin-top: var(--as-space-3); border-top: 1px solid var(--as-border); padding-top: var(--as-space-2); }
.turns { list-style: none; margin: 0 0 var(--as-space-2); padding: 0; }
.turn { margin-bottom: var(--as-space-2); }
.question { margin: 0; font-weight: 600; }
.answer { margin: 0 0 var(--as-space-1); white-space: pre-wrap; overflow-wrap: anywhere; }
.turn.failed .answer { color: var(--as-error); }
.ask-form { margin-top: var(--as-space-2); }
.ask-form label { display: block; margin-bottom: var(--as-space-1); }
.ask-row { display: flex; gap: var(--as-space-2); }
.ask-row input { flex: 1; min-width: 0; font: inherit; padding: var(--as-space-1) 6px; border-radius: var(--as-radius);
  border: 1px solid var(--as-border); background: var(--as-bg); color: var(--as-fg); }
.ask-row input:focus-visible { outline: 2px solid var(--as-focus); outline-offset: 1px; }
button[aria-disabled="true"] { opacity: .6; cursor: default; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
