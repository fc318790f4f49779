import { describe, expect, it } from 'vitest';
import { accentScore, alignChars } from '../support/accent-score';

describe('accentScore', () => {
  it('counts each accented letter of the truth as kept, lost, wrong or other', () => {
    expect(accentScore('Café crème', 'Café creme')).toMatchObject({ n: 2, kept: 1, lost: 1, wrong: 0, other: 0, false: 0 });
    expect(accentScore('fête', 'féte')).toMatchObject({ n: 1, kept: 0, lost: 0, wrong: 1 });
    expect(accentScore('Ça va', 'a va')).toMatchObject({ n: 1, other: 1 });
  });

  it('counts an accent written over a plain letter as false', () => {
    expect(accentScore('menu', 'ménu')).toMatchObject({ n: 0, false: 1 });
    expect(accentScore('menu', 'menu')).toMatchObject({ n: 0, false: 0 });
  });

  it('lines up letters across an inserted or a deleted one', () => {
    expect(alignChars('la façade', 'la facadde').map((x) => x.p)).toEqual([...'la facade']);
    expect(alignChars('abc', 'ac')).toEqual([{ t: 'a', p: 'a' }, { t: 'b', p: null }, { t: 'c', p: 'c' }]);
  });
});
