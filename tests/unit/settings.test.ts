import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import {
  AUTOMATIC_ALT_PREFIX,
  DEFAULT_MODEL_HOST,
  DEFAULT_SETTINGS,
  SETTINGS_VERSION,
  isAutoFillOn,
  migrateSettings,
  normaliseModelHost,
  parseSettings,
  readEngineConfig,
  repairStoredSettings,
  setAutoFillSite,
  settings,
  settingsNotice,
  withAutoFillSite,
  type SettingKey,
} from '@/lib/settings';

const stored = () => fakeBrowser.storage.local.get(null);

describe('parseSettings', () => {
  it('reads an empty store as the defaults, with nothing invalid', () => {
    expect(parseSettings({})).toEqual({ settings: DEFAULT_SETTINGS, invalidKeys: [] });
    expect(DEFAULT_SETTINGS).toMatchObject({
      modelId: 'Mozilla/distilvit',
      modelHost: DEFAULT_MODEL_HOST,
      backend: 'auto',
      altPrefix: AUTOMATIC_ALT_PREFIX,
      wasmThreads: 0,
      releaseEngineAfterIdleSeconds: 300,
      autoFillEverywhere: false,
      autoFillSites: [],
    });
  });

  it.each<{ key: SettingKey; value: unknown; want?: unknown }>([
    { key: 'modelId', value: 'someone/mirror-model' },
    { key: 'modelId', value: '  Xenova/vit-gpt2 ', want: 'Xenova/vit-gpt2' },
    { key: 'modelHost', value: 'https://mirror.example/hf' },
    { key: 'modelHost', value: 'http://127.0.0.1:8080/' },
    { key: 'backend', value: 'webgpu' },
    { key: 'backend', value: 'wasm' },
    { key: 'altPrefix', value: '' },
    { key: 'altPrefix', value: 'x'.repeat(100) },
    { key: 'altPrefix', value: null }, // automatic
    { key: 'wasmThreads', value: 4 },
    { key: 'wasmThreads', value: 64 },
    { key: 'releaseEngineAfterIdleSeconds', value: 0 },
    { key: 'preferImageText', value: false },
    { key: 'autoFillEverywhere', value: true },
    { key: 'autoFillSites', value: ['example.com', 'localhost:8080', '[::1]'] },
    { key: 'autoFillSites', value: [' News.Example '], want: ['news.example'] },
    { key: 'imageFetchTimeoutSeconds', value: 2.5 },
    { key: 'modelRunTimeoutSeconds', value: 3600 },
  ])('keeps $key = $value', ({ key, value, want = value }) => {
    const { settings: s, invalidKeys } = parseSettings({ [key]: value });
    expect(s[key]).toEqual(want);
    expect(invalidKeys).toEqual([]);
  });

  it.each<{ key: SettingKey; value: unknown }>([
    { key: 'autoFillSites', value: 'news' },
    { key: 'autoFillSites', value: ['example.com', 'not a host'] },
    { key: 'autoFillSites', value: ['https://example.com/'] },
    { key: 'autoFillSites', value: [''] },
    { key: 'autoFillSites', value: [42] },
    { key: 'modelHost', value: 42 },
    { key: 'modelHost', value: 'ftp://x' },
    { key: 'modelHost', value: 'javascript:alert(1)' },
    { key: 'modelHost', value: 'huggingface.co' },
    { key: 'modelId', value: '   ' },
    { key: 'modelId', value: 'm'.repeat(201) },
    { key: 'wasmThreads', value: 'lots' },
    { key: 'wasmThreads', value: '4' },
    { key: 'wasmThreads', value: -1 },
    { key: 'wasmThreads', value: 1.5 },
    { key: 'wasmThreads', value: 65 },
    { key: 'backend', value: 'gpu' },
    { key: 'altPrefix', value: 'x'.repeat(101) },
    { key: 'altPrefix', value: 42 },
    { key: 'preferImageText', value: 'yes' },
    { key: 'releaseEngineAfterIdleSeconds', value: -1 },
    { key: 'releaseEngineAfterIdleSeconds', value: Number.POSITIVE_INFINITY },
    { key: 'imageFetchTimeoutSeconds', value: 0 },
    { key: 'imageDecodeTimeoutSeconds', value: 301 },
    { key: 'modelRunTimeoutSeconds', value: 4 },
  ])('replaces $key = $value with the default and lists it as invalid', ({ key, value }) => {
    const { settings: s, invalidKeys } = parseSettings({ [key]: value, altPrefix: key === 'altPrefix' ? value : 'ok: ' });
    expect(s[key]).toEqual(DEFAULT_SETTINGS[key]);
    expect(invalidKeys).toEqual([key]);
  });

  it('keeps the valid values next to an invalid one', () => {
    const { settings: s, invalidKeys } = parseSettings({ backend: 'gpu', wasmThreads: 2, autoFillSites: 'news', altPrefix: 'AI: ' });
    expect(s).toMatchObject({ backend: 'auto', wasmThreads: 2, autoFillSites: [], altPrefix: 'AI: ' });
    expect(invalidKeys.sort()).toEqual(['autoFillSites', 'backend']);
  });

  it('gives each reader its own default list', () => {
    const a = parseSettings({}).settings.autoFillSites;
    a.push('mutated.example');
    expect(parseSettings({}).settings.autoFillSites).toEqual([]);
    expect(DEFAULT_SETTINGS.autoFillSites).toEqual([]);
  });
});

describe('migrateSettings', () => {
  it.each<{ case: string; raw: Record<string, unknown>; changes: Record<string, unknown> }>([
    { case: 'an empty v1 store only gets a version', raw: {}, changes: { settingsVersion: SETTINGS_VERSION } },
    { case: 'v1 comma-separated sites become a list', raw: { autoFillSites: 'a.com, b.com,,c.com' }, changes: { autoFillSites: ['a.com', 'b.com', 'c.com'], settingsVersion: SETTINGS_VERSION } },
    { case: 'v1 space-separated sites become a list', raw: { autoFillSites: ' a.com  b.com ' }, changes: { autoFillSites: ['a.com', 'b.com'], settingsVersion: SETTINGS_VERSION } },
    { case: 'v1 numeric-string threads become a number', raw: { wasmThreads: ' 4 ' }, changes: { wasmThreads: 4, settingsVersion: SETTINGS_VERSION } },
    { case: 'v1 non-numeric threads are left for validation', raw: { wasmThreads: 'lots' }, changes: { settingsVersion: SETTINGS_VERSION } },
    { case: 'v1 negative threads are left for validation', raw: { wasmThreads: '-1' }, changes: { settingsVersion: SETTINGS_VERSION } },
    { case: 'v1 values already the right type are untouched', raw: { autoFillSites: ['a.com'], wasmThreads: 2 }, changes: { settingsVersion: SETTINGS_VERSION } },
    { case: 'a current store is left alone', raw: { settingsVersion: SETTINGS_VERSION, autoFillSites: ['a.com'] }, changes: {} },
    { case: 'a current store with v1-looking values is not re-migrated', raw: { settingsVersion: SETTINGS_VERSION, autoFillSites: 'a.com,b.com', wasmThreads: '4' }, changes: {} },
    { case: 'v2 stored English default prefix becomes automatic', raw: { settingsVersion: 2, altPrefix: 'Auto-generated: ' }, changes: { altPrefix: null, settingsVersion: SETTINGS_VERSION } },
    { case: 'v1 stored English default prefix becomes automatic', raw: { altPrefix: 'Auto-generated: ' }, changes: { altPrefix: null, settingsVersion: SETTINGS_VERSION } },
    { case: 'v2 prefix the user typed stays as typed', raw: { settingsVersion: 2, altPrefix: 'Described by AltSight: ' }, changes: { settingsVersion: SETTINGS_VERSION } },
    { case: 'v2 prefix differing only in spacing stays as typed', raw: { settingsVersion: 2, altPrefix: 'Auto-generated:' }, changes: { settingsVersion: SETTINGS_VERSION } },
    { case: 'v2 empty prefix (none) stays empty', raw: { settingsVersion: 2, altPrefix: '' }, changes: { settingsVersion: SETTINGS_VERSION } },
    { case: 'v2 without a stored prefix only gets a version', raw: { settingsVersion: 2 }, changes: { settingsVersion: SETTINGS_VERSION } },
    { case: 'a current store keeps an English prefix the user typed', raw: { settingsVersion: SETTINGS_VERSION, altPrefix: 'Auto-generated: ' }, changes: {} },
  ])('$case', ({ raw, changes }) => {
    const before = structuredClone(raw);
    expect(migrateSettings(raw)).toEqual(changes);
    expect(raw).toEqual(before); // pure
  });
});

describe('repairStoredSettings', () => {
  beforeEach(() => fakeBrowser.reset());

  it('replaces invalid stored values with defaults and leaves a notice naming them', async () => {
    await fakeBrowser.storage.local.set({ settingsVersion: SETTINGS_VERSION, backend: 'gpu', altPrefix: 'x'.repeat(101), wasmThreads: 2, modelHost: 'ftp://x' });
    const before = Date.now();
    const reset = await repairStoredSettings();
    expect(reset.sort()).toEqual(['altPrefix', 'backend', 'modelHost']);
    expect(await stored()).toMatchObject({ backend: 'auto', modelHost: DEFAULT_MODEL_HOST, wasmThreads: 2 });
    expect(await settings.altPrefix.getValue()).toBe(AUTOMATIC_ALT_PREFIX);
    const notice = await settingsNotice.get();
    expect(notice?.resetKeys.sort()).toEqual(['altPrefix', 'backend', 'modelHost']);
    expect(notice?.at).toBeGreaterThanOrEqual(before);
  });

  it('migrates a v1 store, keeping what the user meant, and records what could not be kept', async () => {
    await fakeBrowser.storage.local.set({ autoFillSites: 'a.com, B.com', wasmThreads: '4', backend: 'gpu' });
    expect(await repairStoredSettings()).toEqual(['backend']);
    expect(await stored()).toMatchObject({ settingsVersion: SETTINGS_VERSION, autoFillSites: ['a.com', 'B.com'], wasmThreads: 4, backend: 'auto' });
    expect(await settings.autoFillSites.getValue()).toEqual(['a.com', 'b.com']);
    expect((await settingsNotice.get())?.resetKeys).toEqual(['backend']);
  });

  it('makes a v2 store\'s English default prefix automatic, so pages get their own language', async () => {
    await fakeBrowser.storage.local.set({ settingsVersion: 2, altPrefix: 'Auto-generated: ' });
    expect(await repairStoredSettings()).toEqual([]);
    const after = await stored();
    expect(after.settingsVersion).toBe(SETTINGS_VERSION);
    expect(after.altPrefix ?? null).toBeNull(); // stored as null, or gone (which reads the same)
    expect(await settings.altPrefix.getValue()).toBe(AUTOMATIC_ALT_PREFIX);
    expect(await settingsNotice.get()).toBeNull();
  });

  it('a v1 value that migrates to something still invalid is reset', async () => {
    await fakeBrowser.storage.local.set({ wasmThreads: '100' });
    expect(await repairStoredSettings()).toEqual(['wasmThreads']);
    expect((await stored()).wasmThreads).toBe(0);
  });

  it('writes nothing when every stored value is valid and current', async () => {
    await fakeBrowser.storage.local.set({ settingsVersion: SETTINGS_VERSION, backend: 'wasm', autoFillSites: ['a.com'] });
    const snapshot = await stored();
    const writes: unknown[] = [];
    fakeBrowser.storage.onChanged.addListener((changes) => writes.push(changes));
    expect(await repairStoredSettings()).toEqual([]);
    expect(writes).toEqual([]);
    expect(await stored()).toEqual(snapshot);
    expect(await settingsNotice.get()).toBeNull();
  });

  it('adds to an unread notice rather than replacing it', async () => {
    await fakeBrowser.storage.local.set({ settingsVersion: SETTINGS_VERSION, settingsNotice: { resetKeys: ['backend'], at: 1 }, wasmThreads: -1 });
    await repairStoredSettings();
    expect((await settingsNotice.get())?.resetKeys).toEqual(['backend', 'wasmThreads']);
    await settingsNotice.clear();
    expect(await settingsNotice.get()).toBeNull();
  });
});

describe('reading and writing settings', () => {
  beforeEach(() => fakeBrowser.reset());

  it('every reader gets the same defaults, deadlines included', async () => {
    expect(await readEngineConfig()).toEqual({
      modelId: 'Mozilla/distilvit',
      handwritingModelId: 'Xenova/trocr-small-handwritten',
      modelHost: DEFAULT_MODEL_HOST,
      backend: 'auto',
      wasmThreads: 0,
      releaseAfterIdleSeconds: 300,
      deadlines: { fetchMs: 30_000, decodeMs: 15_000, modelRunMs: 120_000 },
      chatEngine: 'model',
      chatModelId: 'HuggingFaceTB/SmolVLM-256M-Instruct',
    });
    expect(await settings.altPrefix.getValue()).toBe(AUTOMATIC_ALT_PREFIX);
    expect(await settings.autoFillEverywhere.getValue()).toBe(false);
  });

  it('derives the deadlines from the timeout settings, in whole milliseconds', async () => {
    await settings.imageFetchTimeoutSeconds.setValue(2.5);
    await settings.imageDecodeTimeoutSeconds.setValue(1.0004);
    await settings.modelRunTimeoutSeconds.setValue(600);
    expect((await readEngineConfig()).deadlines).toEqual({ fetchMs: 2500, decodeMs: 1000, modelRunMs: 600_000 });
  });

  it('reads a stored value that fails the schema as the default', async () => {
    await fakeBrowser.storage.local.set({ wasmThreads: 'lots', modelHost: 'ftp://x', modelRunTimeoutSeconds: 1 });
    expect(await settings.wasmThreads.getValue()).toBe(0);
    expect(await readEngineConfig()).toMatchObject({ wasmThreads: 0, modelHost: DEFAULT_MODEL_HOST, deadlines: { modelRunMs: 120_000 } });
  });

  it.each([
    ['https://mirror.example/hf', 'https://mirror.example/hf/'],
    ['https://mirror.example/hf//', 'https://mirror.example/hf/'],
    [' http://127.0.0.1:8080/ ', 'http://127.0.0.1:8080/'],
    ['https://huggingface.co', 'https://huggingface.co/'],
  ])('a mirror host %j forms Hub URLs as %j', async (host, want) => {
    expect(normaliseModelHost(host)).toBe(want);
    await settings.modelHost.setValue(host);
    expect((await readEngineConfig()).modelHost).toBe(want);
  });

  it.each<{ key: SettingKey; value: unknown }>([
    { key: 'wasmThreads', value: 'lots' },
    { key: 'wasmThreads', value: -1 },
    { key: 'backend', value: 'gpu' },
    { key: 'modelHost', value: 'ftp://x' },
    { key: 'autoFillSites', value: 'news' },
    { key: 'altPrefix', value: 'x'.repeat(101) },
    { key: 'modelRunTimeoutSeconds', value: 0 },
  ])('refuses to store $key = $value', async ({ key, value }) => {
    await expect(settings[key].setValue(value as never)).rejects.toThrow(`Invalid value for ${key}`);
    expect(await stored()).toEqual({});
  });

  it('stores the normalised form of a valid value', async () => {
    await settings.autoFillSites.setValue([' Example.COM ']);
    expect((await stored()).autoFillSites).toEqual(['example.com']);
  });

  it('tells a watcher the validated value', async () => {
    const seen: unknown[] = [];
    const stop = settings.backend.watch((value) => seen.push(value));
    await settings.backend.setValue('wasm');
    await fakeBrowser.storage.local.set({ backend: 'gpu' });
    await fakeBrowser.storage.local.set({ altPrefix: 'unrelated' });
    stop();
    await settings.backend.setValue('webgpu');
    expect(seen).toEqual(['wasm', 'auto']);
  });
});

describe('isAutoFillOn', () => {
  it.each([
    { everywhere: true, sites: [], host: 'a.com', want: true },
    { everywhere: false, sites: ['a.com'], host: 'a.com', want: true },
    { everywhere: false, sites: ['a.com'], host: 'A.COM', want: true },
    { everywhere: false, sites: ['a.com'], host: 'b.a.com', want: false }, // a subdomain is another site
    { everywhere: false, sites: ['b.a.com'], host: 'a.com', want: false },
    { everywhere: false, sites: ['a.com'], host: 'a.com.evil.example', want: false },
    { everywhere: false, sites: ['news.example', 'a.com'], host: 'a.com', want: true },
    { everywhere: false, sites: [], host: 'a.com', want: false },
  ])('everywhere=$everywhere sites=$sites on $host → $want', ({ everywhere, sites, host, want }) => {
    expect(isAutoFillOn(everywhere, sites, host)).toBe(want);
  });
});

describe('one site on or off for auto-fill', () => {
  beforeEach(() => fakeBrowser.reset());

  it.each([
    { sites: ['b.example'], host: 'a.example', on: true, want: ['a.example', 'b.example'] },
    { sites: ['a.example', 'b.example'], host: 'a.example', on: true, want: ['a.example', 'b.example'] },
    { sites: ['a.example', 'b.example'], host: 'A.EXAMPLE', on: false, want: ['b.example'] },
    { sites: ['b.example'], host: 'a.example', on: false, want: ['b.example'] },
    { sites: [], host: 'a.example', on: true, want: ['a.example'] },
  ])('$sites, $host on=$on → $want', ({ sites, host, on, want }) => {
    expect(withAutoFillSite(sites, host, on)).toEqual(want);
  });

  it('changes the list as stored, whatever the caller last read: the other sites stay', async () => {
    await settings.autoFillSites.setValue(['b.example', 'c.example']);
    expect(await setAutoFillSite('a.example', true)).toEqual(['a.example', 'b.example', 'c.example']);
    expect(await setAutoFillSite('b.example', false)).toEqual(['a.example', 'c.example']);
    expect(await settings.autoFillSites.getValue()).toEqual(['a.example', 'c.example']);
  });
});
