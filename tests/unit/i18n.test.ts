/**
 * The locale files agree with each other (same keys, same placeholders, nothing empty), every key the
 * code asks for exists, and `t` fills placeholders as Chrome does, from the browser or, in Node, from
 * the English file.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fakeBrowser } from 'wxt/testing';
import { installPackagedMessages, messagesLocale, substitute, t, tCount, type MessageKey } from '@/lib/i18n';

const ROOT = join(__dirname, '../..');
const LOCALES_DIR = join(ROOT, 'public/_locales');
const LOCALES = ['en', 'de', 'es', 'fr'];

type MessagesFile = Record<string, { message: string; description?: string }>;
const read = (locale: string): MessagesFile => JSON.parse(readFileSync(join(LOCALES_DIR, locale, 'messages.json'), 'utf8'));
const english = read('en');

/** `$1`…`$9`, sorted and unique: what a message expects from its substitutions. */
const placeholdersOf = (message: string) => [...new Set(message.replace(/\$\$/g, '').match(/\$[1-9]/g) ?? [])].sort();

describe('locale files', () => {
  it('are exactly en, de, es and fr', () => {
    expect(readdirSync(LOCALES_DIR).sort()).toEqual([...LOCALES].sort());
  });

  it.each(LOCALES)('%s has every English key and no other', (locale) => {
    expect(Object.keys(read(locale)).sort()).toEqual(Object.keys(english).sort());
  });

  it.each(LOCALES)('%s has no empty message and no stray whitespace', (locale) => {
    for (const [key, { message }] of Object.entries(read(locale))) {
      expect(message.trim(), key).not.toBe('');
      // The alt prefixes end in a space on purpose (the caption follows); nothing else may.
      if (key !== 'altPrefixGenerated' && key !== 'altPrefixImageText') expect(message, key).toBe(message.trim());
    }
  });

  it.each(LOCALES.filter((l) => l !== 'en'))('%s uses the same placeholders as English in every message', (locale) => {
    for (const [key, { message }] of Object.entries(read(locale))) {
      expect(placeholdersOf(message), key).toEqual(placeholdersOf(english[key]!.message));
    }
  });

  it('uses placeholders $1 upwards without gaps, and "$" only in them', () => {
    for (const locale of LOCALES) {
      for (const [key, { message }] of Object.entries(read(locale))) {
        const used = placeholdersOf(message).map((p) => Number(p.slice(1)));
        expect(used, `${locale} ${key}`).toEqual(used.map((_, i) => i + 1));
        expect(message.replace(/\$\$|\$[1-9]/g, ''), `${locale} ${key}`).not.toContain('$');
      }
    }
  });

  it('has keys Chrome accepts, distinct even ignoring case (Chrome does)', () => {
    const keys = Object.keys(english);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_]+$/);
    expect(new Set(keys.map((k) => k.toLowerCase())).size).toBe(keys.length);
  });

  it.each(LOCALES)('%s names its own language in messagesLocale', (locale) => {
    expect(read(locale).messagesLocale?.message).toBe(locale);
  });

  it.each(LOCALES)('%s keeps the product name AltSight untranslated', (locale) => {
    const messages = read(locale);
    expect(messages.extensionName?.message).toBe('AltSight');
    for (const [key, { message }] of Object.entries(english)) {
      if (message.includes('AltSight')) expect(messages[key]!.message, `${locale} ${key}`).toContain('AltSight');
    }
  });

  it('keeps the "cause: detail" shape of failure messages the popup groups by', () => {
    // lib/page/report.ts groups images by the words before the first ": ".
    for (const locale of LOCALES) {
      for (const key of ['failureCaptionModelLoad', 'failureOcrModelLoad']) expect(read(locale)[key]!.message, `${locale} ${key}`).toMatch(/: \$1$/);
    }
  });
});

/** Every source file that can show a string; tests and scripts don't. */
function sourceFiles(dir = ROOT): string[] {
  const out: string[] = [];
  for (const top of ['components', 'entrypoints', 'lib']) {
    const walk = (d: string) => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const path = join(d, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(ts|tsx|html)$/.test(entry.name)) out.push(path);
      }
    };
    walk(join(dir, top));
  }
  return out;
}

describe('keys in the code', () => {
  const sources = sourceFiles().map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }));
  const all = sources.map((s) => s.text).join('\n') + readFileSync(join(ROOT, 'wxt.config.ts'), 'utf8');

  it('every t(…) / tCount(…) / localizePage(…) key exists in English', () => {
    const used = new Map<string, string>();
    const calls = /\b(?:t|localizePage)\(\s*'([^']+)'|\b(?:one|other):\s*'([^']+)'/g;
    for (const { path, text } of sources) {
      for (const m of text.matchAll(calls)) used.set(m[1] ?? m[2]!, path);
    }
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter(([key]) => !(key in english)).map(([key, path]) => `${key} (${path})`);
    expect(missing).toEqual([]);
  });

  it('every English key is used somewhere (a t() call, a key table, the manifest, or the alt prefix table)', () => {
    // Keys in typed tables (Record<…, MessageKey>) appear as plain string literals; the manifest uses __MSG_key__.
    const unused = Object.keys(english).filter((key) => !all.includes(`'${key}'`) && !all.includes(`__MSG_${key}__`));
    // The alt prefixes are kept in lib/page/alt-prefix.ts (tests/unit/alt-prefix.test.ts compares them).
    expect(unused.sort()).toEqual(['altPrefixGenerated', 'altPrefixImageText']);
  });
});

describe('t', () => {
  afterEach(() => vi.restoreAllMocks());

  it('answers in English in Node, where the browser has no i18n, with the placeholders filled', () => {
    expect(t('imageNotFound', 404)).toBe('The image was not found (HTTP 404).');
    expect(t('hostMissing', 'https://m.example/', 'a/b', 404)).toBe('https://m.example/ answered, but it has no a/b (HTTP 404).');
    expect(t('popupSelectArea')).toBe('Select area to read');
    expect(messagesLocale()).toBe('en');
  });

  it('asks the browser first, passing the substitutions as strings', () => {
    const german = read('de');
    const getMessage = vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(((key: string, subs?: string | string[]) =>
      german[key] ? substitute(german[key].message, typeof subs === 'string' ? [subs] : (subs ?? [])) : '') as never);
    expect(t('popupSelectArea')).toBe('Bereich zum Lesen auswählen');
    expect(t('imagesCopyCaption', 'a red circle')).toBe('„a red circle“ kopieren');
    expect(t('imageTooManyPixels', 9000, 8000)).toBe('Das Bild hat 9000×8000 Pixel, zu groß zum Verarbeiten.');
    expect(getMessage).toHaveBeenCalledWith('imageTooManyPixels', ['9000', '8000']);
    expect(messagesLocale()).toBe('de');
  });

  it('falls back to English for a key the browser does not know, and to the key for one nobody knows', () => {
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockReturnValue('');
    expect(t('copy')).toBe('Copy');
    expect(t('noSuchKey' as MessageKey)).toBe('noSuchKey');
  });

  it.each([
    { locale: 'en', count: 0, want: '0 images not described.' },
    { locale: 'en', count: 1, want: '1 image not described.' },
    { locale: 'en', count: 2, want: '2 images not described.' },
    { locale: 'fr', count: 0, want: '0 image non décrite.' }, // French counts 0 as one
    { locale: 'fr', count: 1, want: '1 image non décrite.' },
    { locale: 'fr', count: 3, want: '3 images non décrites.' },
    { locale: 'de', count: 1, want: '1 Bild nicht beschrieben.' },
    { locale: 'es', count: 5, want: '5 imágenes sin describir.' },
  ])('tCount picks $locale plural forms: $count → $want', ({ locale, count, want }) => {
    const messages = read(locale);
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(((key: string, subs?: string[]) => substitute(messages[key]!.message, subs ?? [])) as never);
    expect(tCount(count, { one: 'failuresNotDescribedOne', other: 'failuresNotDescribedOther' }, count)).toBe(want);
  });
});

describe('substitute, as chrome.i18n does it', () => {
  it.each([
    { message: 'Copy “$1”', subs: ['a $2 circle'], want: 'Copy “a $2 circle”' }, // substitutions are not re-read
    { message: '$2 of $1', subs: ['a', 'b'], want: 'b of a' },
    { message: 'costs $$5 for $1', subs: ['you'], want: 'costs $5 for you' },
    { message: 'only $1 and $2', subs: ['one'], want: 'only one and ' },
  ])('$message with $subs → $want', ({ message, subs, want }) => {
    expect(substitute(message, subs)).toBe(want);
  });
});

describe('installPackagedMessages, for documents without chrome.i18n', () => {
  afterEach(() => vi.restoreAllMocks());

  it('does nothing where the browser has the API', async () => {
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(((key: string) => (key === 'messagesLocale' ? 'en' : '')) as never);
    const fetchMessages = vi.fn();
    await installPackagedMessages('de', fetchMessages);
    expect(fetchMessages).not.toHaveBeenCalled();
  });

  it('loads the named locale, or English for a name that is not a locale folder', async () => {
    const asked: string[] = [];
    const fetchMessages = async (locale: string) => (asked.push(locale), null);
    await installPackagedMessages('de', fetchMessages);
    await installPackagedMessages('../../secrets', fetchMessages);
    await installPackagedMessages(null, fetchMessages);
    expect(asked).toEqual(['de', 'en', 'en', 'en']);
  });

  // Last: it installs German for the rest of this file's module instance.
  it('then answers from those messages', async () => {
    await installPackagedMessages('de', async (locale) => (locale === 'de' ? read('de') : null));
    expect(t('failureNoText')).toBe('Kein Text gefunden.');
    expect(t('imageNotFound', 404)).toBe('Das Bild wurde nicht gefunden (HTTP 404).');
  });
});
