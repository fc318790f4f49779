/**
 * What the reader asked for in the panel ("Caption this image", "Read text in this image", the keyboard
 * command): kept for the popup's list next to auto-fill's captions, marked as the panel's. The text stays
 * in the extension (the popup), never in the page, unless the reader presses "Use as alt text".
 */
import type { JobOutcome } from '../engine/jobs';
import type { PageImageReport } from '../messages';

export type PanelKind = 'caption' | 'read-text';

/** The popup lists this many panel results at most; older ones drop off first. */
export const MAX_PANEL_RESULTS = 50;

export class PanelResults {
  /** By kind and image: asking again about the same image replaces its entry. */
  private readonly byKey = new Map<string, PageImageReport>();

  note(imageUrl: string, kind: PanelKind, outcome: JobOutcome): void {
    if (!imageUrl || (!outcome.ok && outcome.reason === 'cancelled')) return;
    const key = `${kind} ${imageUrl}`;
    this.byKey.delete(key); // re-inserted last: the list is in the order results came
    this.byKey.set(key, {
      imageUrl,
      state: outcome.ok ? 'captioned' : 'failed',
      caption: outcome.ok ? outcome.text : null,
      reason: outcome.ok ? null : outcome.message,
      source: kind === 'caption' ? 'panel-caption' : 'panel-read-text',
    });
    while (this.byKey.size > MAX_PANEL_RESULTS) this.byKey.delete(this.byKey.keys().next().value!);
  }

  report(): PageImageReport[] {
    return [...this.byKey.values()];
  }
}
