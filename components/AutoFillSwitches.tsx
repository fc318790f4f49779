/** Auto-fill on for this site, or everywhere. */
import { useEffect, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { setAutoFillSite, settings, withAutoFillSite } from '@/lib/settings';
import { requestSiteAccess } from '@/lib/site-access';

/** Turning auto-fill on asks the browser for the site access it needs, where people can withhold it (Firefox). */
export function AutoFillSwitches({ hostname, pageUrl }: { hostname: string; pageUrl: string | null }) {
  const [everywhere, setEverywhere] = useState(false);
  const [sites, setSites] = useState<string[]>([]);
  // Until both are read the switches show defaults, so they take no clicks before then.
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    let live = true;
    void Promise.all([settings.autoFillEverywhere.getValue(), settings.autoFillSites.getValue()]).then(
      ([storedEverywhere, storedSites]) => {
        if (!live) return;
        setEverywhere(storedEverywhere);
        setSites(storedSites);
        setLoaded(true);
      },
      // Storage that can't be read can't be changed safely either: the switches stay disabled.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  const onThisSite = sites.includes(hostname);
  return (
    <section aria-label={t('autoFillHeading')}>
      <h2>{t('autoFillHeading')}</h2>
      <div class="row switches">
        <label>
          <input
            type="checkbox"
            checked={onThisSite || everywhere}
            disabled={!loaded || everywhere}
            onChange={(e) => {
              const on = (e.target as HTMLInputElement).checked;
              if (on && pageUrl) void requestSiteAccess(pageUrl);
              setSites(withAutoFillSite(sites, hostname, on));
              void setAutoFillSite(hostname, on).then(setSites, () => undefined);
            }}
          />
          {t('autoFillOnSite', hostname)}
        </label>
        <label>
          <input
            type="checkbox"
            checked={everywhere}
            disabled={!loaded}
            onChange={(e) => {
              const on = (e.target as HTMLInputElement).checked;
              if (on) void requestSiteAccess(null);
              setEverywhere(on);
              void settings.autoFillEverywhere.setValue(on);
            }}
          />
          {t('autoFillEverywhere')}
        </label>
      </div>
    </section>
  );
}
