/** One stored setting as Preact state: read once, kept in step with storage, written through the schema. */
import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_SETTINGS, settings, type SettingKey, type Settings } from '@/lib/settings';

export type NumberSettingKey = { [K in SettingKey]: Settings[K] extends number ? K : never }[SettingKey];
export type BooleanSettingKey = { [K in SettingKey]: Settings[K] extends boolean ? K : never }[SettingKey];

/**
 * `[value, save, loaded]`. The value starts as the default and follows storage (another page, "Delete all
 * data"); `loaded` says the stored value has been read, so a control that acts on it (download this
 * model) can wait for it. `save` rejects a value the schema refuses (lib/settings.ts), so callers check first.
 */
export function useSetting<K extends SettingKey>(key: K): [Settings[K], (value: Settings[K]) => Promise<void>, boolean] {
  const [value, setValue] = useState<Settings[K]>(DEFAULT_SETTINGS[key]);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    let live = true;
    const show = (v: Settings[K]) => {
      setValue(() => v);
      setLoaded(true);
    };
    // A read that fails leaves the default in place: the page still works, as it did before the read.
    void settings[key].getValue().then(
      (v) => live && show(v),
      () => live && setLoaded(true),
    );
    const unwatch = settings[key].watch(show);
    return () => {
      live = false;
      unwatch();
    };
  }, [key]);
  const save = async (next: Settings[K]) => {
    await settings[key].setValue(next);
    setValue(() => next);
  };
  return [value, save, loaded];
}
