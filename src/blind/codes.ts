import { createHmac } from 'node:crypto';

/**
 * A deterministic random stream keyed by the packet seed: HMAC-SHA256(key = seed, message = block counter),
 * the counter-mode HMAC_DRBG idea of [NIST-SP800-90A] §10.1.2 without reseeding. Unlike the 32-bit state of
 * createRng (src/random.ts), the output cannot be recovered or the seed brute-forced from a packet's codes when
 * the seed is a long secret; with the seed and the manifest, anyone can rebuild the key: keep the seed with the key.
 */
export class KeyedStream {
  private readonly key: Buffer;
  private counter = 0;
  private block = Buffer.alloc(0);
  private pos = 0;

  constructor(seed: string | number, purpose: string) {
    this.key = Buffer.from(`dermametrics-blind-v1\u0000${purpose}\u0000${String(seed)}`, 'utf8');
  }

  /** the next 32 random bits */
  uint32(): number {
    if (this.pos + 4 > this.block.length) {
      const msg = Buffer.alloc(8);
      msg.writeBigUInt64BE(BigInt(this.counter++));
      this.block = createHmac('sha256', this.key).update(msg).digest();
      this.pos = 0;
    }
    const v = this.block.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** uniform integer in [0, n), by rejection sampling so there is no modulo bias */
  below(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) throw new RangeError(`below(${n})`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const v = this.uint32();
      if (v < limit) return v % n;
    }
  }

  /** Fisher–Yates shuffle in place [Knuth1997, Algorithm P] */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}

/** Code characters: digits and upper-case letters without the look-alikes 0/O, 1/I/L, and U (Crockford-style). */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * `count` distinct codes 'XXXX-XXXX' drawn from the stream: 8 characters of a 30-letter alphabet (39 bits).
 * The codes carry no information: they depend only on the seed and the draw position, never on a photo. Codes that
 * contain one of `avoid` (case-insensitive) are redrawn.
 */
export function drawCodes(stream: KeyedStream, count: number, avoid: readonly string[] = []): string[] {
  const codes: string[] = [];
  const seen = new Set<string>();
  // a code must not spell, by chance, a subject id, visit name or other identifying string of the trial
  const bad = [...new Set(avoid.map((a) => a.toUpperCase()).filter((a) => a.length >= 2 && a.length <= 9))];
  while (codes.length < count) {
    let c = '';
    for (let i = 0; i < 8; i++) {
      if (i === 4) c += '-';
      c += CODE_ALPHABET[stream.below(CODE_ALPHABET.length)];
    }
    if (seen.has(c)) continue;
    const flat = c.replace('-', '');
    if (bad.some((b) => c.includes(b) || flat.includes(b))) continue;
    seen.add(c);
    codes.push(c);
  }
  return codes;
}

/** Normalise a code as a reader may have typed it: trim, upper case, no spaces. */
export function normaliseCode(code: string): string {
  return code.trim().toUpperCase().replace(/\s+/g, '');
}
