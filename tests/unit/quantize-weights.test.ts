import { describe, expect, it } from 'vitest';
import { quantizePerChannel } from '../../scripts/ocr-models/quantize-weights';

describe('quantizePerChannel', () => {
  // Two output channels of three weights each, laid out as a Conv's [O, I, 1, 1].
  const weights = Float32Array.of(0.5, -1, 0.25, 0.002, 0.004, -0.001);
  const { quantized, scales } = quantizePerChannel(weights, 2, (i) => Math.floor(i / 3));

  it('gives each channel its own scale, so a channel of small weights keeps its precision', () => {
    expect(scales[0]).toBeCloseTo(1 / 127, 7);
    expect(scales[1]).toBeCloseTo(0.004 / 127, 9);
  });

  it('maps each channel’s largest magnitude to ±127 around the zero point 128', () => {
    expect(quantized[1]).toBe(128 - 127);
    expect(quantized[4]).toBe(128 + 127);
  });

  it('dequantises every weight to within half a step', () => {
    weights.forEach((w, i) => {
      const scale = scales[Math.floor(i / 3)]!;
      expect(Math.abs((quantized[i]! - 128) * scale - w)).toBeLessThanOrEqual(scale / 2 + 1e-9);
    });
  });

  it('takes channels along columns too (a MatMul’s [K, N] weights, one scale per output column)', () => {
    const matrix = Float32Array.of(1, 0.01, -4, 0.04); // K = 2 rows, N = 2 columns
    const perColumn = quantizePerChannel(matrix, 2, (i) => i % 2);
    expect(perColumn.scales[0]).toBeCloseTo(4 / 127, 7);
    expect(perColumn.scales[1]).toBeCloseTo(0.04 / 127, 9);
    expect([...perColumn.quantized]).toEqual([128 + 32, 128 + 32, 128 - 127, 128 + 127]);
  });

  it('leaves an all-zero channel at the zero point with a usable scale', () => {
    const zeros = quantizePerChannel(new Float32Array(4), 1, () => 0);
    expect([...zeros.quantized]).toEqual([128, 128, 128, 128]);
    expect(zeros.scales[0]).toBe(1);
  });
});
