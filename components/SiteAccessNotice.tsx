/**
 * Says when the browser withholds this site from AltSight (Firefox lets people do so), and asks for it:
 * for this site only, or for all sites. Shows nothing where access is granted, as on Chrome.
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { t } from '@/lib/i18n';
import { allSitesAccess, requestSiteAccess, siteAccess, type SiteAccess } from '@/lib/site-access';

/**
 * `site` null: the browser hides the tab's address from us (no access to it, and the popup was reached
 * without the click that lends access to the tab), so the notice speaks of "this page" and can offer only
 * all sites, and shows only where all sites are withheld.
 */
export function SiteAccessNotice({ site }: { site: { pageUrl: string; hostname: string } | null }) {
  const [access, setAccess] = useState<SiteAccess>('granted');
  const [refused, setRefused] = useState(false);
  const pageUrl = site?.pageUrl ?? null;
  const check = () => (pageUrl === null ? allSitesAccess() : siteAccess(pageUrl));
  useEffect(() => {
    const recheck = () => void check().then(setAccess);
    recheck();
    // Access also changes from elsewhere: the auto-fill switches' own request, or about:addons.
    browser.permissions.onAdded.addListener(recheck);
    browser.permissions.onRemoved.addListener(recheck);
    return () => {
      browser.permissions.onAdded.removeListener(recheck);
      browser.permissions.onRemoved.removeListener(recheck);
    };
  }, [pageUrl]);
  if (access !== 'missing') return null;
  const ask = async (url: string | null) => {
    const granted = await requestSiteAccess(url);
    setRefused(!granted);
    setAccess(await check());
  };
  return (
    <div class="notice" role="status" data-testid="site-access-notice">
      <p>{site ? t('siteAccessMissing', site.hostname) : t('siteAccessMissingPage')}</p>
      {refused && <p>{t('siteAccessRefused')}</p>}
      <div class="row">
        {site && (
          <button type="button" onClick={() => void ask(site.pageUrl)}>
            {t('siteAccessAllowSite', site.hostname)}
          </button>
        )}
        <button type="button" onClick={() => void ask(null)}>
          {t('siteAccessAllowAll')}
        </button>
      </div>
    </div>
  );
}
