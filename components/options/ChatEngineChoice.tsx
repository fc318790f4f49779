/**
 * Whether questions about images go to the downloaded model or to the browser's own (Chrome's Prompt
 * API). The browser's is a choice only where it says its model can take images: feature-detected,
 * never assumed; elsewhere the option is there, disabled, saying why.
 */
import { useEffect, useState } from 'preact/hooks';
import { BROWSER_MODEL_LABEL, browserModelState } from '@/lib/ask/browser-model';
import { t } from '@/lib/i18n';
import type { ChatModelState } from '@/lib/messages';
import { useSetting } from './use-setting';

export function ChatEngineChoice() {
  const [engine, saveEngine] = useSetting('chatEngine');
  const [browserModel, setBrowserModel] = useState<ChatModelState | null>(null);
  useEffect(() => void browserModelState().then(setBrowserModel, () => setBrowserModel(null)), []);
  const choices = [
    { value: 'model', label: t('chatEngineModel'), about: t('chatEngineModelAbout'), disabled: false },
    {
      value: 'browser',
      label: BROWSER_MODEL_LABEL,
      about: !browserModel ? t('chatEngineBrowserUnavailable') : browserModel.needsDownload ? t('chatEngineBrowserDownloads') : t('chatEngineBrowserAbout'),
      disabled: !browserModel,
    },
  ] as const;
  // A stored choice the browser can no longer serve is answered by our model (lib/engine/host.ts): show that.
  const effective = browserModel ? engine : 'model';
  return (
    <fieldset data-setting="chatEngine">
      <legend>{t('chatEngineLegend')}</legend>
      {choices.map((choice) => (
        <div class="field" key={choice.value}>
          <label class="choice" for={`chat-engine-${choice.value}`}>
            <input
              type="radio"
              id={`chat-engine-${choice.value}`}
              name="chatEngine"
              value={choice.value}
              checked={effective === choice.value}
              disabled={choice.disabled}
              aria-describedby={`chat-engine-${choice.value}-about`}
              onChange={() => void saveEngine(choice.value)}
            />
            <span class="name">{choice.label}</span>
          </label>
          <p class="muted" id={`chat-engine-${choice.value}-about`}>
            {choice.about}
          </p>
        </div>
      ))}
    </fieldset>
  );
}
