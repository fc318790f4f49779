/**
 * The first-run page, opened once on install: what AltSight does, what it downloads and from where, the
 * privacy promise, "Download now", a sample picture to try, and the way to the settings.
 */
import { ModelDownload } from '@/components/options/ModelDownload';
import { formatBytes } from '@/components/options/download-progress';
import { useSetting } from '@/components/options/use-setting';
import { t } from '@/lib/i18n';
import { captionModel } from '@/lib/models';
import { DEFAULT_MODEL_HOST } from '@/lib/settings';
import { SampleCaption } from './SampleCaption';

const TEXT = {
  title: t('welcomeTitle'),
  lead: t('welcomeLead'),
  doesHeading: t('welcomeDoesHeading'),
  does: [t('welcomeDoesCaption'), t('welcomeDoesAutoFill'), t('welcomeDoesRead')],
  downloadHeading: t('welcomeDownloadHeading'),
  hub: t('welcomeHub'),
  download: (model: string, size: string | null, host: string) =>
    size ? t('welcomeDownloadSized', model, size, host) : t('welcomeDownload', model, host),
  size: (wasm: string, webgpu: string) => t('welcomeSize', wasm, webgpu),
  later: t('welcomeLater'),
  privacyHeading: t('welcomePrivacyHeading'),
  privacy: (host: string) => [t('welcomePrivacyLocal'), t('welcomePrivacyFetches', host), t('welcomePrivacyNoAccount')],
  settingsHeading: t('welcomeSettingsHeading'),
  settingsText: t('welcomeSettingsText'),
  settingsLink: t('welcomeSettingsLink'),
};

export function OnboardingPage() {
  const [modelId, , modelIdLoaded] = useSetting('modelId');
  const [modelHost, , modelHostLoaded] = useSetting('modelHost');
  // What will be downloaded, and from where, is said once the stored choices are read, not the defaults first.
  const choicesLoaded = modelIdLoaded && modelHostLoaded;
  const model = captionModel(modelId);
  const sizes = model.approxDownloadBytes;
  const host = modelHost === DEFAULT_MODEL_HOST ? TEXT.hub : modelHost;
  return (
    <main>
      <header>
        <h1>{TEXT.title}</h1>
        <p>{TEXT.lead}</p>
      </header>
      <section aria-labelledby="does-heading">
        <h2 id="does-heading">{TEXT.doesHeading}</h2>
        <ul>
          {TEXT.does.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="download-heading">
        <h2 id="download-heading">{TEXT.downloadHeading}</h2>
        {choicesLoaded && (
          <p data-testid="download-summary">{TEXT.download(model.label, sizes ? TEXT.size(formatBytes(sizes.wasm), formatBytes(sizes.webgpu)) : null, host)}</p>
        )}
        <p class="muted">{TEXT.later}</p>
        {choicesLoaded && <ModelDownload modelId={model.id} modelLabel={model.label} approxDownloadBytes={sizes} />}
      </section>
      <section aria-labelledby="privacy-heading">
        <h2 id="privacy-heading">{TEXT.privacyHeading}</h2>
        <ul>
          {TEXT.privacy(host).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </section>
      <SampleCaption />
      <section aria-labelledby="settings-heading">
        <h2 id="settings-heading">{TEXT.settingsHeading}</h2>
        <p>
          {TEXT.settingsText} <a href="/options.html">{TEXT.settingsLink}</a>
        </p>
      </section>
    </main>
  );
}
