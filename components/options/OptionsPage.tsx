/** AltSight's settings page: every setting in lib/settings.ts, grouped, plus the model's download and data controls. */
import { useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { AltTextSettings } from './AltTextSettings';
import { AutoFillSettings } from './AutoFillSettings';
import { DeleteAllData } from './DeleteAllData';
import { ModelHostField } from './ModelHostField';
import { ModelSection } from './ModelSection';
import { ChatEngineChoice } from './ChatEngineChoice';
import { PerformanceSettings } from './PerformanceSettings';
import { TimeLimitSettings } from './TimeLimitSettings';

const TEXT = {
  title: t('optionsTitle'),
  intro: t('optionsIntro'),
  welcome: t('optionsWelcomeLink'),
};

export function OptionsPage() {
  // "Delete all data" empties the model cache: sections that list it start afresh.
  const [generation, setGeneration] = useState(0);
  return (
    <main>
      <header>
        <h1>{TEXT.title}</h1>
        <p class="muted">
          {TEXT.intro} <a href="/onboarding.html">{TEXT.welcome}</a>
        </p>
      </header>
      <ModelSection key={generation} />
      <ModelSection key={`handwriting-${generation}`} role="handwriting" />
      <ModelSection key={`chat-${generation}`} role="chat">
        <ChatEngineChoice />
      </ModelSection>
      <ModelHostField />
      <AltTextSettings />
      <AutoFillSettings />
      <PerformanceSettings />
      <TimeLimitSettings />
      <DeleteAllData onDeleted={() => setGeneration((g) => g + 1)} />
    </main>
  );
}
