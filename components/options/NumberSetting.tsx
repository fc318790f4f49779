/**
 * A whole-number setting with its label, a hint, and in plain words why a value is refused. Valid
 * values are saved as they are typed (or stepped with the arrow keys); a refusal is shown when the
 * field is left, so typing "120" doesn't complain at "1".
 */
import { useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { useSetting, type NumberSettingKey } from './use-setting';

const TEXT = {
  outOfRange: (min: number, max: number) => t('numberOutOfRange', min, max),
};

export interface NumberSettingProps {
  setting: NumberSettingKey;
  label: string;
  hint: string;
  /** The limits lib/settings.ts enforces for this key (its schema refuses anything else). */
  min: number;
  max: number;
  unit?: string;
}

export function NumberSetting({ setting, label, hint, min, max, unit }: NumberSettingProps) {
  const [stored, save] = useSetting(setting);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState('');
  const id = `setting-${setting}`;
  const parse = (text: string): number | null => {
    if (!/^\s*\d+\s*$/.test(text)) return null;
    const n = Number(text);
    return n >= min && n <= max ? n : null;
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <div class="row">
        <input
          id={id}
          type="number"
          inputMode="numeric"
          data-setting={setting}
          min={min}
          max={max}
          step={1}
          value={draft ?? String(stored)}
          aria-invalid={error ? 'true' : 'false'}
          aria-describedby={`${id}-hint ${id}-error`}
          onInput={(e) => {
            const text = (e.target as HTMLInputElement).value;
            setDraft(text);
            const n = parse(text);
            if (n !== null) {
              setError('');
              void save(n).catch(() => setError(TEXT.outOfRange(min, max)));
            }
          }}
          onBlur={() => {
            if (draft === null) return;
            if (parse(draft) === null) setError(TEXT.outOfRange(min, max));
            else setDraft(null);
          }}
        />
        {unit && <span class="muted">{unit}</span>}
      </div>
      <p id={`${id}-hint`} class="muted">
        {hint}
      </p>
      <p id={`${id}-error`} class="error" aria-live="polite">
        {error}
      </p>
    </div>
  );
}
