/** Auto-fill on for this site, or everywhere. */
import { useEffect, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { settings } from '@/lib/settings';
import { requestSiteAccess } from '@/lib/site-access';

/** Turning auto-fill on asks the browser for the site access it needs, where people can withhold it (Firefox). */
export function AutoFillSwitches({ hostname, pageUrl }: { hostname: string; pageUrl: string | null }) {
  const [everywhere, setEverywhere] = useState(false);
  const [sites, setSites] = useState<string[]>([]);
  useEffect(() => {
    void settings.autoFillEverywhere.getValue().then(setEverywhere);
    void settings.autoFillSites.getValue().then(setSites);
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
            disabled={everywhere}
            onChange={(e) => {
              const on = (e.target as HTMLInputElement).checked;
              if (on && pageUrl) void requestSiteAccess(pageUrl);
              const next = on ? [...sites, hostname] : sites.filter((s) => s !== hostname);
              setSites(next);
              void settings.autoFillSites.setValue(next);
            }}
          />
          {t('autoFillOnSite', hostname)}
        </label>
        <label>
          <input
            type="checkbox"
            checked={everywhere}
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
