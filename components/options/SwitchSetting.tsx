/** An on/off setting: a checkbox that screen readers announce as a switch, with its label and a hint. */
import { useSetting, type BooleanSettingKey } from './use-setting';

export function SwitchSetting({ setting, label, hint }: { setting: BooleanSettingKey; label: string; hint: string }) {
  const [on, save] = useSetting(setting);
  const id = `setting-${setting}`;
  return (
    <div class="field">
      <label class="switch" for={id}>
        <input
          id={id}
          type="checkbox"
          role="switch"
          data-setting={setting}
          checked={on}
          aria-describedby={`${id}-hint`}
          onChange={(e) => void save((e.target as HTMLInputElement).checked)}
        />
        <span>{label}</span>
      </label>
      <p id={`${id}-hint`} class="muted">
        {hint}
      </p>
    </div>
  );
}
