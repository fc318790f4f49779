// Test builds only: the engine's image decoder run both ways on the same bytes in a real browser, so the
// e2e tests can hold ImageDecoder's path to the canvas's bytes (lib/images/load.ts, decodesDirectly).
import { decodeImageBytes } from '@/lib/images/load';

export interface DecodeComparison {
  decodedBy: 'image-decoder' | 'canvas' | null;
  widthPx: number;
  heightPx: number;
  /** Bytes of RGBA that differ from the canvas-only decode (or -1 when the sizes differ). */
  differingBytes: number;
  /** Where either path failed: each one's message, null for the one that didn't. */
  failures?: { chosen: string | null; reference: string | null };
}

async function compareDecodes(base64: string, maxSidePx: number): Promise<DecodeComparison> {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const options = { maxSidePx, signal: new AbortController().signal, deadlines: { decodeMs: 30_000 } };
  const chosen = await decodeImageBytes(bytes, '', options);
  const reference = await decodeImageBytes(bytes, '', { ...options, canvasOnly: true });
  if (!chosen.ok || !reference.ok) {
    const messageOf = (r: typeof chosen) => (r.ok ? null : r.message);
    return { decodedBy: null, widthPx: 0, heightPx: 0, differingBytes: -1, failures: { chosen: messageOf(chosen), reference: messageOf(reference) } };
  }
  const a = chosen.pixels;
  const b = reference.pixels;
  let differingBytes = a.widthPx === b.widthPx && a.heightPx === b.heightPx && a.rgba.length === b.rgba.length ? 0 : -1;
  for (let i = 0; differingBytes >= 0 && i < a.rgba.length; i++) if (a.rgba[i] !== b.rgba[i]) differingBytes++;
  return { decodedBy: chosen.decodedBy, widthPx: a.widthPx, heightPx: a.heightPx, differingBytes };
}

/** What this page puts on globalThis, for the tests' evaluate(). */
export interface DecodeCheckGlobal {
  altsightDecodeCheck: { compareDecodes: typeof compareDecodes; hasImageDecoder: boolean };
}

const check: DecodeCheckGlobal = { altsightDecodeCheck: { compareDecodes, hasImageDecoder: typeof ImageDecoder === 'function' } };
Object.assign(globalThis, check);
document.title = 'AltSight decode check (ready)';
