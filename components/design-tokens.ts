/**
 * AltSight's design tokens: one type scale (14 px body), spacing steps, and colours for light and dark,
 * as CSS custom properties. Extension pages import `TOKENS_CSS` into their stylesheet; in-page panels put
 * it in their closed shadow root with `:host` as the selector (page styles can't reach it there).
 * Colour pairs are chosen for WCAG AA (4.5:1 for text, 3:1 for controls and focus rings) in both themes.
 */
const LIGHT = `
  --as-bg: #ffffff; --as-bg-raised: #f4f4f6; --as-fg: #1b1b1f; --as-fg-muted: #4a4a55;
  --as-border: #75757f; --as-accent: #0b57d0; --as-accent-fg: #ffffff; --as-focus: #0b57d0;
  --as-error: #b3261e; --as-ok: #146c2e;`;
const DARK = `
  --as-bg: #1f1f23; --as-bg-raised: #2b2b31; --as-fg: #ececf1; --as-fg-muted: #b9b9c6;
  --as-border: #8f8f9d; --as-accent: #a8c7fa; --as-accent-fg: #062e6f; --as-focus: #a8c7fa;
  --as-error: #ffb4ab; --as-ok: #6dd58c;`;
const SCALE = `
  --as-font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  --as-text-xs: 12px; --as-text-sm: 13px; --as-text-md: 14px; --as-text-lg: 16px; --as-text-xl: 20px;
  --as-line: 1.45;
  --as-space-1: 4px; --as-space-2: 8px; --as-space-3: 12px; --as-space-4: 16px; --as-space-5: 24px;
  --as-radius: 6px;`;

/** Tokens on `selector` (":root" for pages, ":host" for panels), following the system's light or dark theme. */
export function tokensCss(selector: ':root' | ':host'): string {
  return `${selector} {${SCALE}${LIGHT} color-scheme: light dark; }
@media (prefers-color-scheme: dark) { ${selector} {${DARK}} }`;
}
