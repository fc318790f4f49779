import { describe, expect, it } from 'vitest';
import { latinizeFullwidth } from '@/lib/ocr/punctuation';

describe('latinizeFullwidth', () => {
  it('turns full-width punctuation in Latin text into ASCII', () => {
    expect(latinizeFullwidth('): （...args: T） => void {')).toBe('): (...args: T) => void {');
    expect(latinizeFullwidth('counts.get(word， 0) + 1')).toBe('counts.get(word, 0) + 1');
    expect(latinizeFullwidth('Price： ￥68.00')).toBe('Price: ¥68.00');
    expect(latinizeFullwidth('Ｈｅｌｌｏ')).toBe('Hello');
  });

  it('keeps full-width forms beside CJK text, where they belong', () => {
    expect(latinizeFullwidth('产地：浙江杭州 Origin: Hangzhou')).toBe('产地：浙江杭州 Origin: Hangzhou');
    expect(latinizeFullwidth('你好，world')).toBe('你好，world');
    expect(latinizeFullwidth('（注）')).toBe('（注）');
    expect(latinizeFullwidth('カタカナ！')).toBe('カタカナ！');
  });

  it('leaves text without full-width characters unchanged', () => {
    for (const text of ['', 'plain text, (with) punctuation: yes.', '中文文本', '€85.00']) expect(latinizeFullwidth(text)).toBe(text);
  });

  it('looks past spaces and other full-width characters for the context', () => {
    expect(latinizeFullwidth('注 （！）')).toBe('注 （！）');
    expect(latinizeFullwidth('x （！） y')).toBe('x (!) y');
  });
});
