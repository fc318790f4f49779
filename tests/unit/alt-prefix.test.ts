import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALT_LANGUAGES, ALT_PREFIXES, altLanguageFor, altPrefixesFor } from '@/lib/page/alt-prefix';

const messagesOf = (language: string): Record<string, { message: string }> =>
  JSON.parse(readFileSync(join(__dirname, '../../public/_locales', language, 'messages.json'), 'utf8'));

describe('the alt prefixes written into pages', () => {
  it.each(ALT_LANGUAGES)('%s: the table says what the locale file says', (language) => {
    const messages = messagesOf(language);
    expect(ALT_PREFIXES[language]).toEqual({
      generated: messages.altPrefixGenerated?.message,
      imageText: messages.altPrefixImageText?.message,
    });
  });

  it('English stays as it always was', () => {
    expect(ALT_PREFIXES.en).toEqual({ generated: 'Auto-generated: ', imageText: 'Image text: ' });
  });

  it.each(ALT_LANGUAGES)('%s: each prefix ends in a colon and a space, ready for the caption', (language) => {
    for (const prefix of Object.values(ALT_PREFIXES[language])) expect(prefix).toMatch(/:\s$/);
  });
});

describe('altLanguageFor: the page first, then the browser, then English', () => {
  it.each<{ page: string | null | undefined; ui: string; want: string }>([
    { page: 'de', ui: 'en-US', want: 'de' },
    { page: 'de-AT', ui: 'en', want: 'de' },
    { page: 'DE-ch', ui: 'en', want: 'de' },
    { page: 'es_MX', ui: 'en', want: 'es' },
    { page: ' fr-CA ', ui: 'de', want: 'fr' },
    { page: 'en-GB', ui: 'de', want: 'en' }, // an English page stays English in a German browser
    { page: 'it', ui: 'fr-FR', want: 'fr' }, // a language we don't speak: the browser's
    { page: 'ja', ui: 'pt-BR', want: 'en' }, // neither: English
    { page: '', ui: 'es', want: 'es' }, // lang="" is "unknown"
    { page: null, ui: 'de', want: 'de' },
    { page: undefined, ui: '', want: 'en' },
    { page: 'deu', ui: 'en', want: 'en' }, // a three-letter code is not "de"
    { page: 'x-klingon', ui: 'en', want: 'en' },
  ])('page $page, browser $ui → $want', ({ page, ui, want }) => {
    expect(altLanguageFor(page, ui)).toBe(want);
  });

  it('gives both prefixes of that language', () => {
    expect(altPrefixesFor('de', 'en')).toEqual({ generated: 'Automatisch erstellt: ', imageText: 'Text im Bild: ' });
    expect(altPrefixesFor('zh', 'zh-CN')).toBe(ALT_PREFIXES.en);
  });
});
