/**
 * Which model to use for a job, from its catalog: its download size on each backend and whether it is
 * already on this computer, "Delete cached model", and for the captioner "Download now" (shared with
 * onboarding). The handwriting reader downloads when the reader first asks for it.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t, tCount } from '@/lib/i18n';
import { cachedModel, deleteCachedModel, MODEL_CACHE_NAME, type CachedModel } from '@/lib/models-cache';
import { CAPTION_MODELS, captionModel, CHAT_MODELS, chatModel, HANDWRITING_MODELS, handwritingModel, type CaptionModel } from '@/lib/models';
import { sendToBackground } from '@/lib/transport';
import { formatBytes } from './download-progress';
import { ModelDownload } from './ModelDownload';
import { useSetting } from './use-setting';

const TEXT = {
  sizes: (wasm: string, webgpu: string) => t('modelSizes', wasm, webgpu),
  sizeUnknown: t('modelSizeUnknown'),
  custom: (id: string) => t('modelCustom', id),
  checking: t('modelChecking'),
  cached: (bytes: number, files: number) => tCount(files, { one: 'modelCachedOne', other: 'modelCachedOther' }, formatBytes(bytes), files),
  notCached: t('modelNotCached'),
  delete: t('modelDelete'),
  deleting: t('deleting'),
  deleted: (label: string, files: number) => tCount(files, { one: 'modelDeletedOne', other: 'modelDeletedOther' }, label, files),
  deleteFailed: (message: string) => t('modelDeleteFailed', message),
  saveFailed: (message: string) => t('modelSaveFailed', message),
};

/** What differs between the captioning model's section and the handwriting reader's. */
interface ModelRole {
  setting: 'modelId' | 'handwritingModelId' | 'chatModelId';
  catalog: readonly CaptionModel[];
  modelFor: (id: string) => CaptionModel;
  heading: string;
  intro: string;
  legend: string;
  /** "Download now": only the captioner, which auto-fill needs before anyone asks. */
  offersDownload: boolean;
}

const ROLES = {
  caption: {
    setting: 'modelId',
    catalog: CAPTION_MODELS,
    modelFor: (id: string) => captionModel(id),
    heading: t('modelHeading'),
    intro: t('modelIntro'),
    legend: t('modelLegend'),
    offersDownload: true,
  },
  handwriting: {
    setting: 'handwritingModelId',
    catalog: HANDWRITING_MODELS,
    modelFor: (id: string) => handwritingModel(id),
    heading: t('handwritingModelHeading'),
    intro: t('handwritingModelIntro'),
    legend: t('modelLegend'),
    offersDownload: false,
  },
  chat: {
    setting: 'chatModelId',
    catalog: CHAT_MODELS,
    modelFor: (id: string) => chatModel(id),
    heading: t('chatModelHeading'),
    intro: t('chatModelIntro'),
    legend: t('modelLegend'),
    offersDownload: false,
  },
} as const satisfies Record<string, ModelRole>;

/** The catalog, plus the configured model when it isn't in it (a mirror's model, the test fixture). */
function choicesFor(role: ModelRole, modelId: string): CaptionModel[] {
  if (role.catalog.some((m) => m.id === modelId)) return [...role.catalog];
  return [...role.catalog, { ...role.modelFor(modelId), label: TEXT.custom(modelId) }];
}

/** `children`: more choices for this job, after the model list (e.g. the browser's own model for questions). */
export function ModelSection({ role: roleName = 'caption', children }: { role?: keyof typeof ROLES; children?: ComponentChildren }) {
  const role: ModelRole = ROLES[roleName];
  const [modelId, saveModelId, modelIdLoaded] = useSetting(role.setting);
  const [cache, setCache] = useState<Record<string, CachedModel | undefined>>({});
  const [message, setMessage] = useState('');
  const [busyDeleting, setBusyDeleting] = useState<string | null>(null);
  const choices = choicesFor(role, modelId);
  const selected = choices.find((m) => m.id === modelId)!;

  const refreshCache = async () => {
    // Opening the cache would create it: a page that only looks leaves no trace (e.g. after "Delete all data").
    const exists = await caches.has(MODEL_CACHE_NAME).catch(() => true);
    const look = (id: string) => (exists ? cachedModel(id) : Promise.resolve({ files: 0, bytes: 0 })).catch(() => undefined);
    const entries = await Promise.all(choices.map(async (m) => [m.id, await look(m.id)] as const));
    setCache(Object.fromEntries(entries));
  };
  useEffect(() => void refreshCache(), [modelId]);

  const remove = async (model: CaptionModel) => {
    setBusyDeleting(model.id);
    try {
      // The engine host holds the files open while it runs the model: close it first.
      await sendToBackground('engine.release', {});
      const files = await deleteCachedModel(model.id);
      setMessage(TEXT.deleted(model.label, files));
    } catch (err) {
      setMessage(TEXT.deleteFailed(err instanceof Error ? err.message : String(err)));
    } finally {
      setBusyDeleting(null);
      await refreshCache();
    }
  };

  return (
    <section aria-labelledby={`${role.setting}-heading`}>
      <h2 id={`${role.setting}-heading`}>{role.heading}</h2>
      <p class="muted">{role.intro}</p>
      <fieldset data-setting={role.setting}>
        <legend>{role.legend}</legend>
        <ul class="models">
          {choices.map((model) => {
            const cached = cache[model.id];
            const sizes = model.approxDownloadBytes;
            const inputId = `model-${model.id.replace(/[^a-z0-9]/gi, '-')}`;
            return (
              <li key={model.id} class="model" data-model-id={model.id}>
                <label class="choice" for={inputId}>
                  <input
                    type="radio"
                    id={inputId}
                    name={role.setting}
                    value={model.id}
                    checked={model.id === modelId}
                    aria-describedby={`${inputId}-about`}
                    onChange={() => void saveModelId(model.id).catch((err: unknown) => setMessage(TEXT.saveFailed(String(err))))}
                  />
                  <span class="name">{model.label}</span>
                </label>
                <p class="muted about" id={`${inputId}-about`}>
                  {sizes ? TEXT.sizes(formatBytes(sizes.wasm), formatBytes(sizes.webgpu)) : TEXT.sizeUnknown}{' '}
                  <span data-testid="cache-state" data-cached={cached ? String(cached.files > 0) : 'unknown'}>
                    {!cached ? TEXT.checking : cached.files > 0 ? TEXT.cached(cached.bytes, cached.files) : TEXT.notCached}
                  </span>
                </p>
                {cached && cached.files > 0 && (
                  <button type="button" class="quiet" disabled={busyDeleting !== null} onClick={() => void remove(model)}>
                    {busyDeleting === model.id ? TEXT.deleting : TEXT.delete}
                    {/* Names the model for screen readers: every card has this button. */}
                    <span class="visually-hidden"> {model.label}</span>
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      </fieldset>
      {children}
      {/* Not before the stored choice is read: "Download now" on the default while the page loads would
          name one model and fetch another. */}
      {role.offersDownload && modelIdLoaded && (
        <ModelDownload modelId={selected.id} modelLabel={selected.label} approxDownloadBytes={selected.approxDownloadBytes} onSettled={() => void refreshCache()} />
      )}
      <p role="status" class="muted" data-testid={`${role.setting}-message`}>
        {message}
      </p>
    </section>
  );
}
