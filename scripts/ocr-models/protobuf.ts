/**
 * The protobuf wire format, just enough to edit an ONNX file without its schema: a message is a list of
 * fields kept in file order, so whatever an edit doesn't touch is written back byte for byte.
 */

export const enum Wire {
  Varint = 0,
  Fixed64 = 1,
  Bytes = 2,
  Fixed32 = 5,
}

export type Field =
  | { no: number; wire: Wire.Varint; value: bigint }
  | { no: number; wire: Wire.Fixed64 | Wire.Bytes | Wire.Fixed32; value: Uint8Array };

function readVarint(bytes: Uint8Array, at: number): [bigint, number] {
  let value = 0n;
  for (let shift = 0n; ; shift += 7n) {
    if (at >= bytes.length) throw new Error('protobuf: varint runs past the end');
    const byte = bytes[at++]!;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [value, at];
  }
}

export function decodeMessage(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let at = 0;
  while (at < bytes.length) {
    const [key, afterKey] = readVarint(bytes, at);
    const no = Number(key >> 3n);
    const wire = Number(key & 7n);
    at = afterKey;
    if (wire === Wire.Varint) {
      const [value, next] = readVarint(bytes, at);
      fields.push({ no, wire, value });
      at = next;
    } else if (wire === Wire.Bytes || wire === Wire.Fixed64 || wire === Wire.Fixed32) {
      let length = wire === Wire.Fixed64 ? 8 : 4;
      if (wire === Wire.Bytes) {
        const [n, next] = readVarint(bytes, at);
        length = Number(n);
        at = next;
      }
      if (at + length > bytes.length) throw new Error(`protobuf: field ${no} runs past the end`);
      fields.push({ no, wire, value: bytes.subarray(at, at + length) });
      at += length;
    } else {
      throw new Error(`protobuf: wire type ${wire} (groups) is not supported`);
    }
  }
  return fields;
}

function varintBytes(value: bigint): number[] {
  // Negative int64s are written as their 64-bit two's complement, as protobuf does.
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v === 0n ? low : low | 0x80);
  } while (v !== 0n);
  return out;
}

export function encodeMessage(fields: readonly Field[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  const push = (part: Uint8Array) => {
    parts.push(part);
    total += part.length;
  };
  for (const field of fields) {
    push(Uint8Array.from(varintBytes(BigInt((field.no << 3) | field.wire))));
    if (field.wire === Wire.Varint) push(Uint8Array.from(varintBytes(field.value)));
    else {
      if (field.wire === Wire.Bytes) push(Uint8Array.from(varintBytes(BigInt(field.value.length))));
      push(field.value);
    }
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

export const bytesField = (no: number, value: Uint8Array): Field => ({ no, wire: Wire.Bytes, value });
export const stringField = (no: number, value: string): Field => bytesField(no, utf8.encode(value));
export const varintField = (no: number, value: number | bigint): Field => ({ no, wire: Wire.Varint, value: BigInt(value) });
export const float32Field = (no: number, value: number): Field => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setFloat32(0, value, true);
  return { no, wire: Wire.Fixed32, value: bytes };
};

export const textOf = (field: Field): string => (field.wire === Wire.Bytes ? fromUtf8.decode(field.value) : '');

/** Every value of a repeated integer field, packed or not. */
export function varintsOf(fields: readonly Field[], no: number): bigint[] {
  const values: bigint[] = [];
  for (const field of fields) {
    if (field.no !== no) continue;
    if (field.wire === Wire.Varint) values.push(field.value);
    else if (field.wire === Wire.Bytes) {
      for (let at = 0; at < field.value.length; ) {
        const [value, next] = readVarint(field.value, at);
        values.push(BigInt.asIntN(64, value));
        at = next;
      }
    }
  }
  return values.map((v) => BigInt.asIntN(64, v));
}

/** Every value of a repeated float field, packed or not. */
export function floatsOf(fields: readonly Field[], no: number): number[] {
  const values: number[] = [];
  for (const field of fields) {
    if (field.no !== no || field.wire === Wire.Varint) continue;
    const view = new DataView(field.value.buffer, field.value.byteOffset, field.value.byteLength);
    for (let at = 0; at + 4 <= field.value.length; at += 4) values.push(view.getFloat32(at, true));
  }
  return values;
}
