import { describe, expect, it } from 'vitest';
import { harmonizeLetterCase } from '@/lib/ocr/letter-case';

describe('harmonizeLetterCase', () => {
  it.each([
    ['small capitals read as mixed case', 'HE MoPED. She sighed.', 'HE MOPED. She sighed.'],
    ['a capital word with several same-shape letters', 'Musée du LoUVRE', 'Musée du LOUVRE'],
    ['a same-shape capital inside a small word', 'the hoUse', 'the house'],
    ['the first letter keeps its case', 'Sox and Cow', 'Sox and Cow'],
    ['a capital first letter says nothing about the rest', 'Box Over', 'Box Over'],
    ['mixed case elsewhere is meant', 'iPhone McDonald eBay WiFi', 'iPhone McDonald eBay WiFi'],
    ['a small first letter does not make a capital word', 'xOR', 'xOR'],
    ['accented letters are telling letters; caseless ones are ignored', 'ÉCoLE 東京 été', 'ÉCOLE 東京 été'],
    ['digits and punctuation split nothing and change nothing', 'MODEL-3 v2.0', 'MODEL-3 v2.0'],
  ])('%s', (_name, input, expected) => {
    expect(harmonizeLetterCase(input)).toBe(expected);
  });
});
