/** How generated alt text reads: the prefix that marks it (with a live preview) and "Image text as alt". */
import { useRef, useState } from 'preact/hooks';
import { messagesLocale, t } from '@/lib/i18n';
import { altPrefixesFor } from '@/lib/page/alt-prefix';
import { SwitchSetting } from './SwitchSetting';
import { useSetting } from './use-setting';

/** lib/settings.ts refuses a longer prefix. */
const MAX_PREFIX_CHARS = 100;
/** A caption as the captioning models write it: in English, whatever the page's language. */
const SAMPLE_CAPTION = 'a dog on a beach';

const TEXT = {
  heading: t('altTextHeading'),
  prefixLabel: t('altPrefixLabel'),
  prefixHint: t('altPrefixHint'),
  automatic: t('altPrefixAutomatic'),
  useAutomatic: t('altPrefixUseAutomatic'),
  previewLabel: t('altPrefixPreview'),
  imageTextLabel: t('imageTextLabel'),
  imageTextHint: t('imageTextHint'),
};

export function AltTextSettings() {
  const [prefix, savePrefix] = useSetting('altPrefix');
  const [draft, setDraft] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  // null is the automatic prefix: each page gets it in its own language; shown here in the browser's.
  const automatic = prefix === null;
  const shown = draft ?? prefix ?? altPrefixesFor(null, messagesLocale()).generated;
  return (
    <section aria-labelledby="alt-heading">
      <h2 id="alt-heading">{TEXT.heading}</h2>
      <div class="field">
        <label for="setting-altPrefix">{TEXT.prefixLabel}</label>
        <input
          id="setting-altPrefix"
          ref={input}
          type="text"
          data-setting="altPrefix"
          maxLength={MAX_PREFIX_CHARS}
          value={shown}
          aria-describedby="setting-altPrefix-hint setting-altPrefix-preview"
          onInput={(e) => {
            const text = (e.target as HTMLInputElement).value.slice(0, MAX_PREFIX_CHARS);
            setDraft(text);
            void savePrefix(text);
          }}
          onBlur={() => setDraft(null)}
        />
        <p id="setting-altPrefix-hint" class="muted">
          {TEXT.prefixHint}
          {automatic && ` ${TEXT.automatic}`}
        </p>
        {!automatic && (
          <button
            type="button"
            class="quiet"
            onClick={() => {
              setDraft(null);
              void savePrefix(null);
              // The button goes away with the typed prefix: the keyboard stays on the field.
              input.current?.focus();
            }}
          >
            {TEXT.useAutomatic}
          </button>
        )}
        <p id="setting-altPrefix-preview" class="preview">
          {TEXT.previewLabel} <q data-testid="alt-preview">{`${shown}${SAMPLE_CAPTION}`}</q>
        </p>
      </div>
      <SwitchSetting setting="preferImageText" label={TEXT.imageTextLabel} hint={TEXT.imageTextHint} />
    </section>
  );
}
