import type { SessionArea } from '@/lib/session-area';

/**
 * storage.session as the browser keeps it: outside the background, so it outlives a stopped worker;
 * values are copied in and out, and writes past `quotaBytes` (JSON size) are refused as Chrome does.
 */
export function fakeSessionArea(options: { quotaBytes?: number } = {}): { area: SessionArea; items: Map<string, unknown> } {
  const items = new Map<string, unknown>();
  const area: SessionArea = {
    async get(keys) {
      return Object.fromEntries(keys.filter((k) => items.has(k)).map((k) => [k, structuredClone(items.get(k))]));
    },
    async set(values) {
      const next = new Map(items);
      for (const [k, v] of Object.entries(values)) next.set(k, structuredClone(v));
      const bytes = [...next.values()].reduce<number>((sum, v) => sum + JSON.stringify(v).length, 0);
      if (options.quotaBytes !== undefined && bytes > options.quotaBytes) throw new Error('Resource::kQuotaBytes quota exceeded');
      for (const [k, v] of next) items.set(k, v);
    },
    async remove(keys) {
      for (const k of keys) items.delete(k);
    },
  };
  return { area, items };
}
