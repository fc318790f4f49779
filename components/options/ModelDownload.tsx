/**
 * "Download now" for the configured captioning model, with one progress bar for the whole model (MB of
 * total, %, time left), Cancel while it runs, and Retry with the engine's own error (which names the
 * host) when it fails. Shared by the options and onboarding pages. Screen readers hear when it starts,
 * each quarter, and how it ends, not every tick.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Backend } from '@/lib/engine/backend';
import { t } from '@/lib/i18n';
import { sendToBackground } from '@/lib/transport';
import { downloadProgress, formatBytes, formatTimeLeft, type DownloadProgress } from './download-progress';
import { useEngineStatus } from './use-engine-status';

const TEXT = {
  download: t('downloadNow'),
  cancel: t('cancel'),
  retry: t('retry'),
  progressLabel: (model: string) => t('downloadProgressLabel', model),
  started: (model: string) => t('downloadStarted', model),
  quarter: (percent: number) => t('downloadQuarter', percent),
  done: (model: string) => t('downloadDone', model),
  cancelled: t('downloadCancelled'),
  failed: (message: string) => t('downloadFailed', message),
  progress: (loaded: string, total: string, percent: number, time: string) => t('downloadProgress', loaded, total, percent, time),
  working: t('downloadWorkingOutTime'),
  preparing: t('downloadPreparing'),
};

export interface ModelDownloadProps {
  modelId: string;
  modelLabel: string;
  /** The catalog's size per backend, so the bar doesn't jump back as files start; absent outside the catalog. */
  approxDownloadBytes?: Readonly<Record<Backend, number>>;
  /** A download of this model ended (done, failed or cancelled; asked here or elsewhere): cached sizes may have changed. */
  onSettled?: () => void;
}

function timeText(progress: DownloadProgress): string {
  if (progress.filesDone && progress.fraction >= 1) return TEXT.preparing;
  return progress.secondsLeft === null ? TEXT.working : formatTimeLeft(progress.secondsLeft);
}

type Outcome = { kind: 'done' } | { kind: 'cancelled' } | { kind: 'failed'; message: string } | null;

export function ModelDownload({ modelId, modelLabel, approxDownloadBytes, onSettled }: ModelDownloadProps) {
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [announcement, setAnnouncement] = useState('');
  const status = useEngineStatus(pending);
  const lastQuarter = useRef(0);
  // The status polled before our request settled may still say "loading": it is stale once we have the answer.
  const latestStatus = useRef(status);
  latestStatus.current = status;
  const statusAtSettle = useRef<typeof status>(null);
  const fresh = status !== null && status !== statusAtSettle.current;
  const ours = status?.modelId === modelId;
  const loading = pending || (fresh && ours && status.state === 'loading');

  // A different model was chosen: what was said about the last one no longer applies. Not on mount:
  // effects run after paint (up to a second late in a background tab), and a click before then had its
  // "Downloading…" wiped from the live region.
  const modelIdSaidFor = useRef(modelId);
  useEffect(() => {
    if (modelIdSaidFor.current === modelId) return;
    modelIdSaidFor.current = modelId;
    setOutcome(null);
    setAnnouncement('');
  }, [modelId]);

  const progress =
    loading && ours && status && status.state === 'loading'
      ? downloadProgress(status.files, status.loadStartedAt, Date.now(), status.backend ? (approxDownloadBytes?.[status.backend] ?? null) : null)
      : null;

  useEffect(() => {
    if (!progress) {
      // Only a download that ended starts the quarters again: a status poll that briefly has no progress
      // mid-download (between files, a stale poll) must not make a screen reader hear "50% done" twice.
      if (!loading) lastQuarter.current = 0;
      return;
    }
    const quarter = Math.floor(progress.fraction * 4);
    if (quarter > lastQuarter.current && quarter < 4) {
      lastQuarter.current = quarter;
      setAnnouncement(TEXT.quarter(quarter * 25));
    }
  }, [progress ? Math.floor(progress.fraction * 4) : -1, loading]);

  const download = async () => {
    setPending(true);
    setOutcome(null);
    lastQuarter.current = 0;
    setAnnouncement(TEXT.started(modelLabel));
    const reply = await sendToBackground('models.download', {}).catch((err: unknown) => ({
      ok: false as const,
      reason: 'model-failed' as const,
      message: err instanceof Error ? err.message : String(err),
    }));
    statusAtSettle.current = latestStatus.current;
    setPending(false);
    const next: Outcome = reply.ok ? { kind: 'done' } : reply.reason === 'cancelled' ? { kind: 'cancelled' } : { kind: 'failed', message: reply.message };
    setOutcome(next);
    setAnnouncement(next.kind === 'done' ? TEXT.done(modelLabel) : next.kind === 'cancelled' ? TEXT.cancelled : TEXT.failed(next.message));
  };

  const wasLoading = useRef(loading);
  useEffect(() => {
    if (wasLoading.current && !loading) onSettled?.();
    wasLoading.current = loading;
  }, [loading]);

  const cancel = () => void sendToBackground('models.cancelDownload', {}).catch(() => undefined);

  // A failure this page didn't ask for (auto-fill's own load) is shown too, with the engine's words.
  const failure =
    outcome?.kind === 'failed' ? outcome.message : !pending && outcome === null && ours && status?.state === 'error' ? status.error : null;

  return (
    <div class="download" data-testid="model-download" data-state={loading ? 'loading' : (outcome?.kind ?? (ours ? status?.state : 'idle'))}>
      {loading && (
        <div class="progress">
          <progress
            aria-label={TEXT.progressLabel(modelLabel)}
            max={progress && progress.totalBytes > 0 ? progress.totalBytes : undefined}
            value={progress && progress.totalBytes > 0 ? progress.loadedBytes : undefined}
          />
          <p class="muted" data-testid="download-progress">
            {progress && progress.totalBytes > 0
              ? TEXT.progress(formatBytes(progress.loadedBytes), formatBytes(progress.totalBytes), Math.floor(progress.fraction * 100), timeText(progress))
              : TEXT.started(modelLabel)}
          </p>
        </div>
      )}
      {failure && (
        <p class="error" data-testid="download-error">
          {failure}
        </p>
      )}
      <div class="row">
        {loading ? (
          <button type="button" onClick={cancel}>
            {TEXT.cancel}
          </button>
        ) : (
          <button type="button" class="primary" onClick={() => void download()}>
            {failure ? TEXT.retry : TEXT.download}
          </button>
        )}
      </div>
      <p role="status" class="muted" data-testid="download-status">
        {announcement}
      </p>
    </div>
  );
}
