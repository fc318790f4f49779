/** Auto-fill on for this site, or everywhere. */
import { useEffect, useState } from 'preact/hooks';
import { settings } from '@/lib/settings';

export function AutoFillSwitches({ hostname }: { hostname: string }) {
  const [everywhere, setEverywhere] = useState(false);
  const [sites, setSites] = useState<string[]>([]);
  useEffect(() => {
    void settings.autoFillEverywhere.getValue().then(setEverywhere);
    void settings.autoFillSites.getValue().then(setSites);
  }, []);
  const onThisSite = sites.includes(hostname);
  return (
    <section aria-label="Automatic alt text">
      <h2>Automatic alt text</h2>
      <label>
        <input
          type="checkbox"
          checked={onThisSite || everywhere}
          disabled={everywhere}
          onChange={(e) => {
            const on = (e.target as HTMLInputElement).checked;
            const next = on ? [...sites, hostname] : sites.filter((s) => s !== hostname);
            setSites(next);
            void settings.autoFillSites.setValue(next);
          }}
        />{' '}
        On {hostname}
      </label>
      <label>
        <input
          type="checkbox"
          checked={everywhere}
          onChange={(e) => {
            const on = (e.target as HTMLInputElement).checked;
            setEverywhere(on);
            void settings.autoFillEverywhere.setValue(on);
          }}
        />{' '}
        On every site
      </label>
    </section>
  );
}
