// Just enough CBOR (RFC 8949) to build what an authenticator sends: unsigned
// and negative integers, byte and text strings, arrays and maps, with map
// keys written in the order given (callers give CTAP2's canonical order).

export type CborValue = number | Uint8Array | string | CborValue[] | CborMap;
export class CborMap {
  constructor(readonly entries: [CborValue, CborValue][]) {}
}

function head(major: number, length: number): number[] {
  if (length < 24) return [(major << 5) | length];
  if (length < 0x100) return [(major << 5) | 24, length];
  if (length < 0x10000) return [(major << 5) | 25, length >> 8, length & 0xff];
  return [(major << 5) | 26, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff];
}

export function encodeCbor(value: CborValue): Uint8Array {
  const out: number[] = [];
  const write = (v: CborValue) => {
    if (typeof v === "number") {
      if (!Number.isInteger(v)) throw new Error("only integers");
      out.push(...(v >= 0 ? head(0, v) : head(1, -1 - v)));
    } else if (v instanceof Uint8Array) {
      out.push(...head(2, v.length), ...v);
    } else if (typeof v === "string") {
      const bytes = new TextEncoder().encode(v);
      out.push(...head(3, bytes.length), ...bytes);
    } else if (Array.isArray(v)) {
      out.push(...head(4, v.length));
      v.forEach(write);
    } else {
      out.push(...head(5, v.entries.length));
      for (const [key, item] of v.entries) {
        write(key);
        write(item);
      }
    }
  };
  write(value);
  return Uint8Array.from(out);
}
