/**
 * The words that mark generated alt text ("Auto-generated: …", "Image text: …"). They are written into
 * the page and read as part of it, so they are in the page's language (the image's `lang`, usually the
 * document's) when AltSight speaks it, else in the browser's, else in English. The browser's i18n knows
 * only its own language, hence this table. Pure and DOM-free. The same words are in
 * public/_locales/<language>/messages.json (altPrefixGenerated, altPrefixImageText) for translators;
 * tests/unit/alt-prefix.test.ts keeps the two equal.
 */

export const ALT_LANGUAGES = ['en', 'de', 'es', 'fr'] as const;
export type AltLanguage = (typeof ALT_LANGUAGES)[number];

export interface AltPrefixes {
  /** Before a caption, when the user kept the automatic prefix. */
  generated: string;
  /** Before the words read from an image that is mostly text. */
  imageText: string;
}

/** French puts a no-break space before a colon. */
export const ALT_PREFIXES: Readonly<Record<AltLanguage, AltPrefixes>> = {
  en: { generated: 'Auto-generated: ', imageText: 'Image text: ' },
  de: { generated: 'Automatisch erstellt: ', imageText: 'Text im Bild: ' },
  es: { generated: 'Generado automáticamente: ', imageText: 'Texto de la imagen: ' },
  fr: { generated: 'Généré automatiquement\u00a0: ', imageText: 'Texte de l’image\u00a0: ' },
};

/**
 * The language alt text is written in: `pageLanguage` (a BCP 47 tag from a `lang` attribute: "de",
 * "de-AT", "DE_ch") when it is one of ours, else `browserLanguage`, else English.
 */
export function altLanguageFor(pageLanguage: string | null | undefined, browserLanguage: string | null | undefined): AltLanguage {
  return ourLanguage(pageLanguage) ?? ourLanguage(browserLanguage) ?? 'en';
}

export function altPrefixesFor(pageLanguage: string | null | undefined, browserLanguage: string | null | undefined): AltPrefixes {
  return ALT_PREFIXES[altLanguageFor(pageLanguage, browserLanguage)];
}

function ourLanguage(tag: string | null | undefined): AltLanguage | null {
  const primary = (tag ?? '').trim().split(/[-_]/)[0]!.toLowerCase();
  return (ALT_LANGUAGES as readonly string[]).includes(primary) ? (primary as AltLanguage) : null;
}
