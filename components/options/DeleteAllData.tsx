/**
 * "Delete all AltSight data": every downloaded model and every setting, after a confirmation step. The
 * engine host is closed first, since it holds model files open.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { t } from '@/lib/i18n';
import { deleteAllCaches } from '@/lib/models-cache';
import { sendToBackground } from '@/lib/transport';

const TEXT = {
  heading: t('dataHeading'),
  intro: t('dataIntro'),
  start: t('dataDeleteStart'),
  confirm: t('dataDeleteConfirm'),
  yes: t('dataDeleteYes'),
  no: t('dataDeleteNo'),
  deleting: t('deleting'),
  done: t('dataDeleted'),
  failed: (message: string) => t('dataDeleteFailed', message),
};

export function DeleteAllData({ onDeleted }: { onDeleted?: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const question = useRef<HTMLParagraphElement>(null);
  const startButton = useRef<HTMLButtonElement>(null);

  const wasConfirming = useRef(false);

  // The confirmation takes the keyboard (its question is read first, its buttons come next) and gives it back.
  useEffect(() => {
    if (confirming) question.current?.focus();
    else if (wasConfirming.current) startButton.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  const deleteEverything = async () => {
    setBusy(true);
    try {
      await sendToBackground('engine.release', {});
      await deleteAllCaches();
      await browser.storage.local.clear();
      setMessage(TEXT.done);
      onDeleted?.();
    } catch (err) {
      setMessage(TEXT.failed(err instanceof Error ? err.message : String(err)));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <section aria-labelledby="data-heading">
      <h2 id="data-heading">{TEXT.heading}</h2>
      <p class="muted">{TEXT.intro}</p>
      {confirming ? (
        <div class="confirm" role="group" aria-labelledby="delete-all-question">
          <p id="delete-all-question" ref={question} tabIndex={-1}>
            {TEXT.confirm}
          </p>
          <div class="row">
            <button type="button" class="danger" disabled={busy} onClick={() => void deleteEverything()}>
              {busy ? TEXT.deleting : TEXT.yes}
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() => setConfirming(false)}
            >
              {TEXT.no}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" class="danger" ref={startButton} onClick={() => setConfirming(true)}>
          {TEXT.start}
        </button>
      )}
      <p role="status" class="muted" data-testid="delete-all-message">
        {message}
      </p>
    </section>
  );
}
