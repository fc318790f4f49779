/** Where automatic alt text runs: on every site, or on the sites in a list (add with a check, remove). */
import { useRef, useState } from 'preact/hooks';
import { checkSiteHostname } from '@/lib/host-check';
import { t } from '@/lib/i18n';
import { setAutoFillSite } from '@/lib/settings';
import { SwitchSetting } from './SwitchSetting';
import { useSetting } from './use-setting';

const TEXT = {
  heading: t('autoFillHeading'),
  intro: t('autoFillIntro'),
  everywhereLabel: t('autoFillEverywhere'),
  everywhereHint: t('autoFillEverywhereHint'),
  listLegend: t('autoFillSitesLegend'),
  addLabel: t('autoFillAddLabel'),
  addHint: t('autoFillAddHint'),
  add: t('autoFillAdd'),
  empty: t('autoFillNoSites'),
  remove: t('autoFillRemove'),
  removeSite: (site: string) => t('autoFillRemoveSite', site),
  added: (site: string) => t('autoFillAdded', site),
  already: (site: string) => t('autoFillAlready', site),
  removed: (site: string) => t('autoFillRemoved', site),
  everywhereNote: t('autoFillEverywhereNote'),
};

export function AutoFillSettings() {
  const [sites] = useSetting('autoFillSites');
  const [everywhere] = useSetting('autoFillEverywhere');
  const [draft, setDraft] = useState('');
  const [error, setError] = useState('');
  const [message, setMessage] = useState('');
  const input = useRef<HTMLInputElement>(null);

  const add = async () => {
    const checked = checkSiteHostname(draft);
    if (!checked.ok) {
      setError(checked.reason);
      return;
    }
    setError('');
    if (sites.includes(checked.value)) {
      setMessage(TEXT.already(checked.value));
      return;
    }
    // The list as stored now, not this page's copy: the popup may have changed it meanwhile.
    await setAutoFillSite(checked.value, true);
    setDraft('');
    setMessage(TEXT.added(checked.value));
  };

  const remove = async (site: string) => {
    await setAutoFillSite(site, false);
    setMessage(TEXT.removed(site));
    // The button pressed is gone: keep the keyboard in the list's neighbourhood.
    input.current?.focus();
  };

  return (
    <section aria-labelledby="autofill-heading">
      <h2 id="autofill-heading">{TEXT.heading}</h2>
      <p class="muted">{TEXT.intro}</p>
      <SwitchSetting setting="autoFillEverywhere" label={TEXT.everywhereLabel} hint={TEXT.everywhereHint} />
      <fieldset data-setting="autoFillSites">
        <legend>{TEXT.listLegend}</legend>
        {everywhere && <p class="muted">{TEXT.everywhereNote}</p>}
        {sites.length === 0 ? (
          <p class="muted">{TEXT.empty}</p>
        ) : (
          <ul class="sites" data-testid="site-list">
            {sites.map((site) => (
              <li key={site}>
                <span>{site}</span>
                <button type="button" class="quiet" aria-label={TEXT.removeSite(site)} onClick={() => void remove(site)}>
                  {TEXT.remove}
                </button>
              </li>
            ))}
          </ul>
        )}
        <form
          class="field"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <label for="add-site">{TEXT.addLabel}</label>
          <div class="row">
            <input
              id="add-site"
              ref={input}
              type="text"
              value={draft}
              spellcheck={false}
              autocomplete="off"
              aria-invalid={error ? 'true' : 'false'}
              aria-describedby="add-site-hint add-site-error"
              onInput={(e) => {
                setDraft((e.target as HTMLInputElement).value);
                setError('');
              }}
            />
            <button type="submit">{TEXT.add}</button>
          </div>
          <p id="add-site-hint" class="muted">
            {TEXT.addHint}
          </p>
          <p id="add-site-error" class="error" aria-live="polite" data-testid="add-site-error">
            {error}
          </p>
        </form>
        <p role="status" class="muted">
          {message}
        </p>
      </fieldset>
    </section>
  );
}
