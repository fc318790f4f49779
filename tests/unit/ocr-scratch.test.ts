import { describe, expect, it } from 'vitest';
import { OcrScratchPool, scratchBytes, type OcrScratch } from '@/lib/ocr/scratch';

describe('OcrScratchPool', () => {
  it('lends the scratch a run gave back to the next run', async () => {
    const pool = new OcrScratchPool(Infinity);
    const first = await pool.lend(async (scratch) => scratch);
    const second = await pool.lend(async (scratch) => scratch);
    expect(second).toBe(first);
    expect(pool.keptCount).toBe(1);
  });

  it('lends runs that overlap a scratch each, and keeps one of them', async () => {
    const pool = new OcrScratchPool(Infinity);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const lent: OcrScratch[] = [];
    const slow = pool.lend(async (scratch) => {
      lent.push(scratch);
      await gate;
    });
    await pool.lend(async (scratch) => void lent.push(scratch));
    release();
    await slow;
    expect(lent[0]).not.toBe(lent[1]);
    expect(pool.keptCount).toBe(1);
  });

  it('lets go of a scratch that grew past the cap, and keeps one whose run threw (once that run has ended)', async () => {
    const pool = new OcrScratchPool(1024);
    await pool.lend(async (scratch) => {
      scratch.rgb.bytes = new Uint8Array(2048);
      expect(scratchBytes(scratch)).toBe(2048);
    });
    expect(pool.keptCount).toBe(0);
    const small = await pool.lend(async (scratch) => scratch);
    expect(pool.keptCount).toBe(1);
    await expect(
      pool.lend(async () => {
        throw new Error('model failed');
      }),
    ).rejects.toThrow('model failed');
    // Given back once the run has settled: every buffer is written before it is read, so nothing of the failed run shows.
    expect(pool.keptCount).toBe(1);
    expect(await pool.lend(async (scratch) => scratch)).toBe(small);
  });
});
