/** The in-page result panel: a caption or the text read from an image or region, with Copy and "Use as alt text". */
import { useEffect, useRef, useState } from 'preact/hooks';

export type PanelResult = { kind: 'working'; label: string } | { kind: 'done'; text: string } | { kind: 'error'; message: string };

export interface ResultPanelProps {
  title: string;
  result: PanelResult;
  onCopy: (text: string) => Promise<void>;
  /** Absent when there is no image to give the text to (a page region). */
  onUseAsAlt?: (text: string) => void;
  /** Runs the request again after a failure (a download that stalled, a network blip). */
  onRetry?: () => void;
  onClose: () => void;
}

export function ResultPanel({ title, result, onCopy, onUseAsAlt, onRetry, onClose }: ResultPanelProps) {
  const dialog = useRef<HTMLDivElement>(null);
  const [note, setNote] = useState('');
  useEffect(() => dialog.current?.focus(), []);

  const announcement =
    result.kind === 'working' ? result.label : result.kind === 'done' ? result.text : result.message;

  return (
    <div
      ref={dialog}
      class="panel"
      role="dialog"
      aria-label={`AltSight: ${title}`}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div class="title">{title}</div>
      {/* Model output is rendered as text content; Preact never parses it as HTML. */}
      <p class={`result ${result.kind}`} aria-live="polite" data-testid="caption-result">
        {announcement}
      </p>
      {result.kind === 'done' && (
        <div class="actions">
          <button
            type="button"
            onClick={async () => {
              setNote(await onCopy(result.text).then(() => 'Copied', () => 'Copy failed'));
            }}
          >
            Copy
          </button>
          {onUseAsAlt && (
            <button
              type="button"
              onClick={() => {
                onUseAsAlt(result.text);
                setNote('Alt text set');
              }}
            >
              Use as alt text
            </button>
          )}
        </div>
      )}
      {result.kind === 'error' && onRetry && (
        <div class="actions">
          <button type="button" onClick={onRetry}>
            Retry
          </button>
        </div>
      )}
      <div class="note" role="status">
        {note}
      </div>
      <button type="button" class="close" aria-label="Close" onClick={onClose}>
        ×
      </button>
    </div>
  );
}

export const RESULT_PANEL_CSS = `
:host { all: initial; }
.panel { position: fixed; z-index: 2147483647; max-width: 420px; max-height: 70vh; overflow: auto; min-width: 220px; box-sizing: border-box;
  padding: 12px 36px 12px 14px; background: #fff; color: #1b1b1f; border: 1px solid #8f8f9d; border-radius: 8px;
  box-shadow: 0 6px 24px rgba(0,0,0,.25); font: 14px/1.4 system-ui, sans-serif; }
.panel:focus { outline: 2px solid #0b57d0; outline-offset: 2px; }
.title { font-weight: 600; margin-bottom: 6px; }
.result { margin: 0 0 8px; white-space: pre-wrap; }
.result.error { color: #b3261e; }
.actions { display: flex; gap: 8px; }
button { font: inherit; padding: 4px 10px; border-radius: 6px; border: 1px solid #8f8f9d; background: #f4f4f6; color: inherit; cursor: pointer; }
button:focus-visible { outline: 2px solid #0b57d0; }
.close { position: absolute; top: 6px; right: 6px; padding: 0 8px; border: none; background: none; font-size: 18px; }
.note { min-height: 1em; font-size: 12px; color: #4a4a55; margin-top: 4px; }
`;
