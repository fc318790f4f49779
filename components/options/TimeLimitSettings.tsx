/** The deadlines every image job runs under: fetching, decoding, and one model run. */
import { t } from '@/lib/i18n';
import { DEFAULT_SETTINGS } from '@/lib/settings';
import { NumberSetting } from './NumberSetting';

const TEXT = {
  heading: t('limitsHeading'),
  intro: t('limitsIntro'),
  fetchLabel: t('limitsFetchLabel'),
  fetchHint: t('limitsFetchHint', DEFAULT_SETTINGS.imageFetchTimeoutSeconds),
  decodeLabel: t('limitsDecodeLabel'),
  decodeHint: t('limitsDecodeHint', DEFAULT_SETTINGS.imageDecodeTimeoutSeconds),
  modelLabel: t('limitsModelLabel'),
  modelHint: t('limitsModelHint', DEFAULT_SETTINGS.modelRunTimeoutSeconds),
  seconds: t('unitSeconds'),
};

export function TimeLimitSettings() {
  return (
    <section aria-labelledby="limits-heading">
      <h2 id="limits-heading">{TEXT.heading}</h2>
      <p class="muted">{TEXT.intro}</p>
      <NumberSetting setting="imageFetchTimeoutSeconds" label={TEXT.fetchLabel} hint={TEXT.fetchHint} min={1} max={600} unit={TEXT.seconds} />
      <NumberSetting setting="imageDecodeTimeoutSeconds" label={TEXT.decodeLabel} hint={TEXT.decodeHint} min={1} max={300} unit={TEXT.seconds} />
      <NumberSetting setting="modelRunTimeoutSeconds" label={TEXT.modelLabel} hint={TEXT.modelHint} min={5} max={3600} unit={TEXT.seconds} />
    </section>
  );
}
