/** Cooperative scheduling for page work: long loops yield so no task blocks the page's main thread. */

/** Well under the 50 ms "long task" line, leaving the page room for its own work. */
export const SLICE_BUDGET_MS = 8;

export function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Runs `step` over items, yielding whenever a slice exceeds its budget. */
export async function forEachSliced<T>(items: Iterable<T>, step: (item: T) => void, budgetMs = SLICE_BUDGET_MS): Promise<void> {
  let sliceStart = performance.now();
  for (const item of items) {
    step(item);
    if (performance.now() - sliceStart > budgetMs) {
      await yieldToPage();
      sliceStart = performance.now();
    }
  }
}
