import { describe, expect, it } from 'vitest';
import { parseDictionary } from '@/lib/ocr';

describe('parseDictionary', () => {
  it.each([
    { name: 'LF with final newline', keys: 'a\nb\nc\n', expected: ['blank', 'a', 'b', 'c', ' '] },
    { name: 'LF without final newline', keys: 'a\nb\nc', expected: ['blank', 'a', 'b', 'c', ' '] },
    { name: 'CRLF', keys: 'a\r\nb\r\n', expected: ['blank', 'a', 'b', ' '] },
    { name: 'byte-order mark', keys: '\uFEFFx\ny', expected: ['blank', 'x', 'y', ' '] },
    { name: 'full-width space kept as a character', keys: '甲\n\u3000\n乙\n', expected: ['blank', '甲', '\u3000', '乙', ' '] },
    { name: 'a line that is a space keeps its index', keys: 'a\n \nb', expected: ['blank', 'a', ' ', 'b', ' '] },
    { name: 'empty file', keys: '', expected: ['blank', ' '] },
  ])('$name', ({ keys, expected }) => {
    expect(parseDictionary(keys)).toEqual(expected);
  });
});
