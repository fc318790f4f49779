/** The extension's keyboard shortcuts with their current keys (the reader may have changed them), and where to change them. */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { t } from '@/lib/i18n';

export interface Shortcut {
  name: string;
  description: string;
  /** Empty when the reader removed the key, or Chrome didn't assign it (another extension had it). */
  shortcut: string;
}

/** Chrome's page for changing extension shortcuts; extension pages may open it with `tabs.create`. */
export const SHORTCUTS_PAGE = import.meta.env.FIREFOX ? 'about:addons' : 'chrome://extensions/shortcuts';

/** Our commands as `commands.getAll()` reports them; the toolbar button's own entry is left out. */
export function shortcutsOf(commands: { name?: string; description?: string; shortcut?: string }[]): Shortcut[] {
  return commands
    .filter((c) => c.name && !c.name.startsWith('_execute'))
    .map((c) => ({ name: c.name!, description: c.description || c.name!, shortcut: c.shortcut ?? '' }));
}

export function ShortcutList() {
  const [shortcuts, setShortcuts] = useState<Shortcut[] | null>(null);
  useEffect(() => {
    void browser.commands.getAll().then(
      (all) => setShortcuts(shortcutsOf(all)),
      () => setShortcuts([]),
    );
  }, []);
  if (!shortcuts) return null;
  return (
    <section aria-labelledby="altsight-shortcuts" class="shortcuts">
      <h2 id="altsight-shortcuts">{t('shortcutsHeading')}</h2>
      {shortcuts.length > 0 && (
        <ul data-testid="shortcut-list">
          {shortcuts.map((s) => (
            <li key={s.name}>
              <span>{s.description}</span>{' '}
              {s.shortcut ? <kbd>{s.shortcut}</kbd> : <span class="muted">{t('shortcutsNotSet')}</span>}
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={() => void browser.tabs.create({ url: SHORTCUTS_PAGE })}>
        {t('shortcutsChange')}
      </button>
    </section>
  );
}
