/** One stored setting as Preact state: read once, kept in step with storage, written through the schema. */
import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_SETTINGS, settings, type SettingKey, type Settings } from '@/lib/settings';

export type NumberSettingKey = { [K in SettingKey]: Settings[K] extends number ? K : never }[SettingKey];
export type BooleanSettingKey = { [K in SettingKey]: Settings[K] extends boolean ? K : never }[SettingKey];

/**
 * `[value, save]`. The value starts as the default and follows storage (another page, "Delete all
 * data"); `save` rejects a value the schema refuses (lib/settings.ts), so callers check first.
 */
export function useSetting<K extends SettingKey>(key: K): [Settings[K], (value: Settings[K]) => Promise<void>] {
  const [value, setValue] = useState<Settings[K]>(DEFAULT_SETTINGS[key]);
  useEffect(() => {
    let live = true;
    void settings[key].getValue().then((v) => live && setValue(() => v));
    const unwatch = settings[key].watch((v) => setValue(() => v));
    return () => {
      live = false;
      unwatch();
    };
  }, [key]);
  const save = async (next: Settings[K]) => {
    await settings[key].setValue(next);
    setValue(() => next);
  };
  return [value, save];
}
