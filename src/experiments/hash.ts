/** MurmurHash3 x86 32-bit over bytes: the portable hash behind variant assignment (must match the client library bit for bit). */

// Module-level aliases: inside vm contexts (jest, some sandboxes) every global `Math` lookup is ~40x slower.
const { imul } = Math;

/**
 * MurmurHash3_x86_32 (Austin Appleby's reference `MurmurHash3_x86_32`), returning an unsigned 32-bit integer.
 *
 * Reproduction recipe for other languages (all arithmetic modulo 2^32, unsigned):
 *   c1 = 0xcc9e2d51, c2 = 0x1b873593, h = seed
 *   for each full 4-byte block, read little-endian as k:
 *     k = k*c1; k = rotl32(k, 15); k = k*c2; h ^= k; h = rotl32(h, 13); h = h*5 + 0xe6546b64
 *   tail (1–3 remaining bytes t0, t1, t2): k = t0 | t1<<8 | t2<<16 (only the bytes present);
 *     if any: k = k*c1; k = rotl32(k, 15); k = k*c2; h ^= k
 *   h ^= byteLength; h ^= h>>>16; h = h*0x85ebca6b; h ^= h>>>13; h = h*0xc2b2ae35; h ^= h>>>16
 * Known answers (seed 0): "" → 0, "hello" → 0x248bfa47, "The quick brown fox jumps over the lazy dog" → 0x2e4ff723.
 */
export function murmur3x86_32(bytes: Uint8Array, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const length = bytes.length;
  const blockEnd = length - (length & 3);
  let h = seed >>> 0;
  let i = 0;
  for (; i < blockEnd; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = length & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= bytes[i + 2]! << 16;
    if (tail >= 2) k ^= bytes[i + 1]! << 8;
    k ^= bytes[i]!;
    k = imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = imul(k, c2);
    h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// TextEncoder is a global in Node ≥ 11 and every browser; it encodes lone UTF-16 surrogates as U+FFFD (EF BF BD),
// which other languages must mimic for such (malformed) ids.
const encoder = new TextEncoder();

/** UTF-8 bytes of a string, as TextEncoder produces them. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
