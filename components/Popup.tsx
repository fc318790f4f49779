/**
 * The toolbar popup: engine state, auto-fill switches, the page's tools and captions, undo. It is laid
 * out to fit Chrome's 600 px popup with one scroll container, the image list; everything else keeps
 * its height.
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { pageActions } from '@/entrypoints/popup/page-actions';
import { t, tCount } from '@/lib/i18n';
import type { EngineStatus, PageImageReport } from '@/lib/messages';
import { groupFailures } from '@/lib/page/report';
import { settingsNotice, type SettingsNotice } from '@/lib/settings';
import { AutoFillSwitches } from './AutoFillSwitches';
import { EngineStatusView } from './EngineStatusView';
import { FailureSummary } from './FailureSummary';
import { ImageList } from './ImageList';
import { ShortcutList } from './ShortcutList';
import { SiteAccessNotice } from './SiteAccessNotice';

/** Fast enough that a download's progress bar moves smoothly, slow enough to cost nothing. */
const REFRESH_INTERVAL_MS = 500;

export function Popup({ tab }: { tab: { id: number; url: string } | null }) {
  const [status, setStatus] = useState<EngineStatus | null>(null);
  const [images, setImages] = useState<(PageImageReport & { frameId: number })[]>([]);
  const [message, setMessage] = useState('');
  const hostname = siteOf(tab?.url ?? '');
  const failures = groupFailures(images);
  /*
   * A model that can't be loaded fails every image that reaches it, for one shared reason: the page's
   * summary tells it once, with Retry, and the engine only says "Model failed to load". (Its own error
   * can word the same cause differently, e.g. for another of the model's files.)
   */
  const engineErrorTold = status?.state === 'error' && failures.shared.length > 0;

  useEffect(() => void pageActions.warmEngine(), []);
  useEffect(() => {
    const refresh = async () => {
      setStatus(await pageActions.engineStatus().catch(() => null));
      if (tab) setImages(await pageActions.report(tab.id).catch(() => []));
    };
    void refresh();
    const timer = setInterval(refresh, REFRESH_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [tab?.id]);

  const run = (action: () => Promise<string>) => () =>
    action().then(setMessage, (err: unknown) => setMessage(err instanceof Error ? err.message : String(err)));

  return (
    <main>
      <header class="bar">
        <h1>
          <img src="/icon/32.png" alt="" width={20} height={20} />
          AltSight
        </h1>
        {/* Every setting (model, backend, sites, limits) lives on the options page. */}
        <button type="button" onClick={run(async () => (await browser.runtime.openOptionsPage(), ''))}>
          {t('popupOptions')}
        </button>
      </header>
      <SettingsResetNotice />
      <EngineStatusView status={status} showError={!engineErrorTold} />
      {tab && (hostname ? <SiteAccessNotice site={{ pageUrl: tab.url, hostname }} /> : !tab.url && <SiteAccessNotice site={null} />)}
      {hostname && <AutoFillSwitches hostname={hostname} pageUrl={tab?.url ?? null} />}
      {tab && hostname ? (
        <section aria-label={t('popupThisPage')} class="page">
          <h2>{t('popupThisPage')}</h2>
          <div class="row">
            <button type="button" onClick={run(async () => (await pageActions.selectRegion(tab.id), closePopup()))}>
              {t('popupSelectArea')}
            </button>
            <button type="button" onClick={run(async () => (await pageActions.readVisible(tab.id), closePopup()))}>
              {t('popupReadVisible')}
            </button>
          </div>
          <div class="row">
            <button type="button" onClick={run(async () => (await pageActions.describeAll(tab.id), t('popupDescribingImages')))}>
              {t('popupDescribeAll')}
            </button>
            <button
              type="button"
              onClick={run(async () => {
                const restored = await pageActions.undoAll(tab.id);
                return tCount(restored, { one: 'popupRemovedOne', other: 'popupRemovedOther' }, restored);
              })}
            >
              {t('popupUndo')}
            </button>
          </div>
          <FailureSummary
            failures={failures}
            engineFailed={status?.state === 'error'}
            onRetry={run(async () => {
              const retried = await pageActions.retryFailed(tab.id);
              return tCount(retried, { one: 'popupRetryingOne', other: 'popupRetryingOther' }, retried);
            })}
          />
          <div role="status" aria-live="polite" class="muted message" data-testid="popup-message">
            {message}
          </div>
        </section>
      ) : (
        <p class="muted">{t('popupNotWebPage')}</p>
      )}
      {/* A sibling of the sections above, not inside them: the one part of the popup that shrinks and scrolls. */}
      {tab && hostname && (
        <ImageList
          images={images}
          failures={failures}
          onCopy={(text) => void navigator.clipboard.writeText(text).then(() => setMessage(t('copied')))}
          onAsk={
            tab
              ? (img) =>
                  void pageActions.askAbout(tab.id, (img as (typeof images)[number]).frameId, img.imageUrl).then(
                    () => void closePopup(),
                    (err: unknown) => setMessage(err instanceof Error ? err.message : String(err)),
                  )
              : undefined
          }
        />
      )}
      <footer>
        {/* Closed by default: open, the shortcuts would take the image list's room. */}
        <details class="shortcuts-disclosure">
          <summary>{t('popupShortcuts')}</summary>
          <ShortcutList />
        </details>
      </footer>
    </main>
  );
}

/** Stored settings that failed validation were reset to defaults (lib/settings.ts): say so once. */
function SettingsResetNotice() {
  const [notice, setNotice] = useState<SettingsNotice | null>(null);
  useEffect(() => {
    void settingsNotice.get().then(setNotice);
  }, []);
  if (!notice) return null;
  return (
    <div class="notice" role="status" data-testid="settings-notice">
      <p>{t('popupSettingsReset', notice.resetKeys.join(', '))}</p>
      <button
        type="button"
        onClick={() => {
          setNotice(null);
          void settingsNotice.clear();
        }}
      >
        {t('popupDismiss')}
      </button>
    </div>
  );
}

/** The page gets the keyboard and the user's attention back; opened as a tab (tests), the page stays. */
function closePopup(): string {
  if (!new URLSearchParams(location.search).has('tab')) window.close();
  return t('popupSelectOnPage');
}

function siteOf(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.hostname : '';
  } catch {
    return '';
  }
}
