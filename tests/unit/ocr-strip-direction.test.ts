import { describe, expect, it } from 'vitest';
import { turnMarginForWeakStrips } from '@/lib/ocr/strip-reading';

describe('turnMarginForWeakStrips: a weak strip turns against its page only by a clear margin', () => {
  const upright = { turned: false };
  const turned = { turned: true };

  it('asks for the margin where most of the page reads upright', () => {
    expect(turnMarginForWeakStrips([upright, upright, turned], 0.2)).toBe(0.2);
  });

  it('asks for none on a page that reads mostly upside down, or evenly split', () => {
    expect(turnMarginForWeakStrips([turned, turned, upright], 0.2)).toBe(0);
    expect(turnMarginForWeakStrips([turned, upright], 0.2)).toBe(0);
  });

  it('asks for none where the weak strips are all the page has: there is no direction to go against', () => {
    expect(turnMarginForWeakStrips([], 0.2)).toBe(0);
  });
});
