/**
 * Says when the browser withholds this site from AltSight (Firefox lets people do so), and asks for it:
 * for this site only, or for all sites. Shows nothing where access is granted, as on Chrome.
 */
import { useEffect, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { requestSiteAccess, siteAccess, type SiteAccess } from '@/lib/site-access';

export function SiteAccessNotice({ pageUrl, hostname }: { pageUrl: string; hostname: string }) {
  const [access, setAccess] = useState<SiteAccess>('granted');
  const [refused, setRefused] = useState(false);
  useEffect(() => void siteAccess(pageUrl).then(setAccess), [pageUrl]);
  if (access !== 'missing') return null;
  const ask = async (url: string | null) => {
    const granted = await requestSiteAccess(url);
    setRefused(!granted);
    setAccess(await siteAccess(pageUrl));
  };
  return (
    <div class="notice" role="status" data-testid="site-access-notice">
      <p>{t('siteAccessMissing', hostname)}</p>
      {refused && <p>{t('siteAccessRefused')}</p>}
      <div class="row">
        <button type="button" onClick={() => void ask(pageUrl)}>
          {t('siteAccessAllowSite', hostname)}
        </button>
        <button type="button" onClick={() => void ask(null)}>
          {t('siteAccessAllowAll')}
        </button>
      </div>
    </div>
  );
}
