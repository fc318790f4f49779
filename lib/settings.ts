/**
 * Every user setting, typed, validated, with its default, in one place. Stored values are input from
 * outside (an older version, another tool, a bug): each read is checked against the schema and falls
 * back to the default; the background repairs what it finds and leaves a notice for the popup.
 * Content scripts never write settings: they ask the background (`autofill.config`).
 */
import * as v from 'valibot';
import { browser } from 'wxt/browser';
import type { JobDeadlines } from './engine/jobs';
import type { EngineConfig } from './messages';
import { DEFAULT_CAPTION_MODEL_ID, DEFAULT_CHAT_MODEL_ID, DEFAULT_HANDWRITING_MODEL_ID } from './models';

export const DEFAULT_MODEL_HOST = 'https://huggingface.co/';
/**
 * `altPrefix: null` is the automatic prefix: a hedge in the spirit of Firefox ("Created automatically:")
 * and Chrome ("Appears to be…"), in the page's language (lib/page/alt-prefix.ts). A prefix the user typed
 * is used as typed, "" for none.
 */
export const AUTOMATIC_ALT_PREFIX = null;
/** Versions 1 and 2 stored the English hedge itself as the default. */
const ENGLISH_ALT_PREFIX_BEFORE_V3 = 'Auto-generated: ';
export const SETTINGS_VERSION = 3;

const hostname = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.minLength(1), v.maxLength(253), v.regex(/^[a-z0-9.\-:[\]]+$/));
const seconds = (min: number, max: number) => v.pipe(v.number(), v.finite(), v.minValue(min), v.maxValue(max));

/** Each setting: its schema and default. A stored value that fails the schema reads as the default. */
const SCHEMA = {
  modelId: { schema: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)), fallback: DEFAULT_CAPTION_MODEL_ID },
  /** The handwriting reader, downloaded the first time the reader asks to read handwriting. */
  handwritingModelId: { schema: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)), fallback: DEFAULT_HANDWRITING_MODEL_ID },
  /** Answers questions about images ("More detail", "Ask"): downloaded the first time the reader asks. */
  chatModelId: { schema: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)), fallback: DEFAULT_CHAT_MODEL_ID },
  /** 'browser': Chrome's built-in model (Prompt API) where it has one; the downloaded model otherwise. */
  chatEngine: { schema: v.picklist(['model', 'browser']), fallback: 'model' as 'model' | 'browser' },
  /** Mirrors of the Hugging Face Hub work if they keep its /{repo}/resolve/{revision}/{file} layout. */
  modelHost: { schema: v.pipe(v.string(), v.trim(), v.url(), v.regex(/^https?:\/\//i)), fallback: DEFAULT_MODEL_HOST },
  backend: { schema: v.picklist(['auto', 'webgpu', 'wasm']), fallback: 'auto' as 'auto' | 'webgpu' | 'wasm' },
  altPrefix: { schema: v.nullable(v.pipe(v.string(), v.maxLength(100))), fallback: AUTOMATIC_ALT_PREFIX as string | null },
  wasmThreads: { schema: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(64)), fallback: 0 },
  /** Models hold 1–2 GB; five idle minutes frees it, and reloading from the cache takes seconds. */
  releaseEngineAfterIdleSeconds: { schema: seconds(0, 86_400), fallback: 300 },
  /** Auto-fill uses the words of images that are mostly text ("Image text: …") instead of a caption. */
  preferImageText: { schema: v.boolean(), fallback: true },
  autoFillEverywhere: { schema: v.boolean(), fallback: false },
  /** Hostnames (e.g. "example.com") where auto-fill is on even when it is off everywhere. */
  autoFillSites: { schema: v.pipe(v.array(hostname), v.maxLength(10_000)), fallback: [] as string[] },
  /** From request to last byte; real images arrive in well under a second, a slow phone network in a few. */
  imageFetchTimeoutSeconds: { schema: seconds(1, 600), fallback: 30 },
  imageDecodeTimeoutSeconds: { schema: seconds(1, 300), fallback: 15 },
  /**
   * One model call. DistilViT takes 1–5 s per caption on 2 WASM threads and OCR of a full page ~10 s;
   * past this the engine host is recycled, so it is generous for slow machines.
   */
  modelRunTimeoutSeconds: { schema: seconds(5, 3600), fallback: 120 },
} satisfies Record<string, { schema: v.GenericSchema; fallback: unknown }>;

type Schema = typeof SCHEMA;
export type SettingKey = keyof Schema;
export type Settings = { [K in SettingKey]: Schema[K]['fallback'] };
export const SETTING_KEYS = Object.keys(SCHEMA) as SettingKey[];

const VERSION_KEY = 'settingsVersion';
const NOTICE_KEY = 'settingsNotice';

export const DEFAULT_SETTINGS: Settings = Object.fromEntries(SETTING_KEYS.map((k) => [k, SCHEMA[k].fallback])) as Settings;

/** Reads one stored value; anything that fails the schema (or is absent) is the default. */
export function parseSetting<K extends SettingKey>(key: K, stored: unknown): { value: Settings[K]; valid: boolean } {
  if (stored === undefined) return { value: clone(SCHEMA[key].fallback) as Settings[K], valid: true };
  const parsed = v.safeParse(SCHEMA[key].schema, stored);
  return parsed.success ? { value: parsed.output as Settings[K], valid: true } : { value: clone(SCHEMA[key].fallback) as Settings[K], valid: false };
}

/** Pure: every setting from a raw storage snapshot, and the keys that were present but invalid. */
export function parseSettings(raw: Record<string, unknown>): { settings: Settings; invalidKeys: SettingKey[] } {
  const settings = {} as Record<SettingKey, unknown>;
  const invalidKeys: SettingKey[] = [];
  for (const key of SETTING_KEYS) {
    const { value, valid } = parseSetting(key, raw[key]);
    settings[key] = value;
    if (!valid) invalidKeys.push(key);
  }
  return { settings: settings as Settings, invalidKeys };
}

/**
 * Pure: brings a snapshot written by an older version up to SETTINGS_VERSION. Returns only the keys
 * that change. Version 1 (no version key) stored whatever callers passed.
 */
export function migrateSettings(raw: Record<string, unknown>): Record<string, unknown> {
  const version = typeof raw[VERSION_KEY] === 'number' ? (raw[VERSION_KEY] as number) : 1;
  const changes: Record<string, unknown> = {};
  if (version < 2) {
    // v1 could hold a comma-separated string where a list belongs; keep what the user meant.
    if (typeof raw.autoFillSites === 'string') {
      changes.autoFillSites = raw.autoFillSites.split(/[\s,]+/).filter((s) => s.length > 0);
    }
    if (typeof raw.wasmThreads === 'string' && /^\d+$/.test(raw.wasmThreads.trim())) changes.wasmThreads = Number(raw.wasmThreads);
  }
  if (version < 3) {
    // The English default, stored, would keep English pages' words on every page: it becomes automatic.
    // A prefix the user typed (anything else) stays as typed.
    if (raw.altPrefix === ENGLISH_ALT_PREFIX_BEFORE_V3) changes.altPrefix = AUTOMATIC_ALT_PREFIX;
  }
  // A newer version's settings are left as they are: its keys are read through the same schemas.
  if (version < SETTINGS_VERSION) changes[VERSION_KEY] = SETTINGS_VERSION;
  return changes;
}

/**
 * Background only: migrates, then replaces every invalid stored value with its default, and records
 * which were reset so the popup can say so. Returns the reset keys.
 */
export async function repairStoredSettings(): Promise<SettingKey[]> {
  const raw = await browser.storage.local.get(null);
  const migrated = { ...raw, ...migrateSettings(raw) };
  const { invalidKeys } = parseSettings(migrated);
  const writes: Record<string, unknown> = { ...migrateSettings(raw) };
  for (const key of invalidKeys) writes[key] = clone(SCHEMA[key].fallback);
  if (invalidKeys.length > 0) {
    const previous = parseNotice(raw[NOTICE_KEY]);
    writes[NOTICE_KEY] = { resetKeys: [...new Set([...(previous?.resetKeys ?? []), ...invalidKeys])], at: Date.now() };
  }
  if (Object.keys(writes).length > 0) await browser.storage.local.set(writes);
  return invalidKeys;
}

export interface SettingsNotice {
  resetKeys: string[];
  at: number;
}

function parseNotice(raw: unknown): SettingsNotice | null {
  const parsed = v.safeParse(v.object({ resetKeys: v.array(v.string()), at: v.number() }), raw);
  return parsed.success ? parsed.output : null;
}

export const settingsNotice = {
  async get(): Promise<SettingsNotice | null> {
    return parseNotice((await browser.storage.local.get(NOTICE_KEY))[NOTICE_KEY]);
  },
  clear: () => browser.storage.local.remove(NOTICE_KEY),
};

export interface SettingItem<T> {
  getValue(): Promise<T>;
  /** Refuses a value that fails the schema: callers are our own pages, so that is a bug to surface. */
  setValue(value: T): Promise<void>;
  watch(onChange: (value: T) => void): () => void;
}

function item<K extends SettingKey>(key: K): SettingItem<Settings[K]> {
  return {
    async getValue() {
      return parseSetting(key, (await browser.storage.local.get(key))[key]).value;
    },
    async setValue(value) {
      const parsed = v.safeParse(SCHEMA[key].schema, value);
      if (!parsed.success) throw new Error(`Invalid value for ${key}: ${v.summarize(parsed.issues).split('\n')[0]}`);
      await browser.storage.local.set({ [key]: parsed.output });
    },
    watch(onChange) {
      const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
        if (area === 'local' && key in changes) onChange(parseSetting(key, changes[key]!.newValue).value);
      };
      browser.storage.onChanged.addListener(listener);
      return () => browser.storage.onChanged.removeListener(listener);
    },
  };
}

export const settings = Object.fromEntries(SETTING_KEYS.map((k) => [k, item(k)])) as { [K in SettingKey]: SettingItem<Settings[K]> };

export async function readSettings(): Promise<Settings> {
  return parseSettings(await browser.storage.local.get(SETTING_KEYS)).settings;
}

/** Calls back whenever any setting changes (already validated). */
export function watchSettings(onChange: () => void): () => void {
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (area === 'local' && SETTING_KEYS.some((k) => k in changes)) onChange();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}

export function deadlinesOf(s: Settings): JobDeadlines {
  return {
    fetchMs: Math.round(s.imageFetchTimeoutSeconds * 1000),
    decodeMs: Math.round(s.imageDecodeTimeoutSeconds * 1000),
    modelRunMs: Math.round(s.modelRunTimeoutSeconds * 1000),
  };
}

export async function readEngineConfig(): Promise<EngineConfig> {
  const s = await readSettings();
  return {
    modelId: s.modelId,
    handwritingModelId: s.handwritingModelId,
    modelHost: normaliseModelHost(s.modelHost),
    backend: s.backend,
    wasmThreads: s.wasmThreads,
    releaseAfterIdleSeconds: s.releaseEngineAfterIdleSeconds,
    deadlines: deadlinesOf(s),
    chatEngine: s.chatEngine,
    chatModelId: s.chatModelId,
  };
}

/** transformers.js joins host and path by concatenation, so the host must end in exactly one slash. */
export function normaliseModelHost(host: string): string {
  return host.trim().replace(/\/+$/, '') + '/';
}

/** Auto-fill for a frame follows that frame's own site (a third-party iframe is its own site). */
export function isAutoFillOn(everywhere: boolean, sites: readonly string[], hostname: string): boolean {
  return everywhere || sites.includes(hostname.toLowerCase());
}

/** `sites` with `hostname` on (once, the list sorted) or off. */
export function withAutoFillSite(sites: readonly string[], hostname: string, on: boolean): string[] {
  const site = hostname.toLowerCase();
  const others = sites.filter((s) => s !== site);
  return on ? [...others, site].sort() : others;
}

/**
 * Turns auto-fill on or off for one site, on the list as stored at that moment. A page's own copy may be
 * stale (another page changed the list) or not read yet (the default, empty): written back, it dropped
 * every other site. Resolves to the list now stored.
 */
export async function setAutoFillSite(hostname: string, on: boolean): Promise<string[]> {
  const next = withAutoFillSite(await settings.autoFillSites.getValue(), hostname, on);
  await settings.autoFillSites.setValue(next);
  return next;
}

function clone<T>(value: T): T {
  return Array.isArray(value) ? ([...value] as T) : value;
}
