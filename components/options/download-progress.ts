/**
 * Pure arithmetic behind a model's progress bar: bytes so far of the whole model, the fraction, and an
 * estimate of the time left from the rate since the load started. DOM-free.
 */
import { t } from '@/lib/i18n';
import type { FileProgress } from '@/lib/messages';

export interface DownloadProgress {
  loadedBytes: number;
  totalBytes: number;
  /** 0…1 */
  fraction: number;
  /** null until there is enough to go on (some bytes, a moment of history, a file still arriving). */
  secondsLeft: number | null;
  /**
   * Every file seen so far is complete: the model is being prepared, or (briefly, for a model of unknown
   * size) its next files haven't started yet.
   */
  filesDone: boolean;
}

/** Under this much history a rate swings wildly (the first response's headers, a cache hit). */
const MIN_ELAPSED_FOR_ESTIMATE_MS = 1500;

/**
 * Files appear one by one as their responses start, so the files' totals alone would make the bar jump
 * back when the big decoder starts. Until every file is done, the model's catalog size (if known) is a floor.
 */
export function downloadProgress(files: readonly FileProgress[], loadStartedAt: number | null, nowMs: number, expectedBytes: number | null): DownloadProgress {
  const loadedBytes = files.reduce((sum, f) => sum + (f.done ? Math.max(f.totalBytes, f.loadedBytes) : f.loadedBytes), 0);
  const knownTotal = files.reduce((sum, f) => sum + Math.max(f.totalBytes, f.loadedBytes), 0);
  const filesDone = files.length > 0 && files.every((f) => f.done);
  const totalBytes = filesDone ? knownTotal : Math.max(knownTotal, expectedBytes ?? 0, loadedBytes);
  const fraction = totalBytes > 0 ? Math.min(1, loadedBytes / totalBytes) : 0;
  let secondsLeft: number | null = null;
  const elapsedMs = loadStartedAt === null ? 0 : nowMs - loadStartedAt;
  if (!filesDone && elapsedMs >= MIN_ELAPSED_FOR_ESTIMATE_MS && loadedBytes > 0 && totalBytes > loadedBytes) {
    secondsLeft = ((totalBytes - loadedBytes) / loadedBytes) * (elapsedMs / 1000);
  }
  return { loadedBytes, totalBytes, fraction, secondsLeft, filesDone };
}

/** "480 kB", "12.3 MB", "188 MB", "1.2 GB" (decimal units, as download sizes are usually given). */
export function formatBytes(bytes: number): string {
  if (bytes < 1e6) return `${Math.max(bytes > 0 ? 1 : 0, Math.round(bytes / 1e3))} kB`;
  if (bytes < 1e8) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes < 1e9) return `${Math.round(bytes / 1e6)} MB`;
  return `${(bytes / 1e9).toFixed(1)} GB`;
}

export function formatTimeLeft(seconds: number): string {
  if (seconds < 60) return t('downloadSecondsLeft', Math.max(1, Math.round(seconds)));
  if (seconds < 3600) return t('downloadMinutesLeft', Math.round(seconds / 60));
  return t('downloadHoursLeft', (seconds / 3600).toFixed(1));
}
