/**
 * Seeded randomness for the convergence simulator.
 *
 * sfc32 (Chris Doty-Humphrey's small fast counting generator) seeded through
 * splitmix32: small, fast, and well studied, so a seed printed by a failing
 * run replays the exact same run on any machine. Nothing here reads
 * `Math.random`.
 */

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  bytes(length: number): Uint8Array;
  /** An independent generator whose stream depends only on this one's state. */
  fork(): Random;
}

export function createRandom(seed: number): Random {
  const mix = splitmix32(seed >>> 0);
  return sfc32(mix(), mix(), mix(), mix());
}

function splitmix32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function sfc32(seedA: number, seedB: number, seedC: number, seedD: number): Random {
  let a = seedA;
  let b = seedB;
  let c = seedC;
  let d = seedD;

  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };

  // The generator's first outputs still echo the seed; discard a few.
  for (let i = 0; i < 12; i++) nextUint32();

  const random: Random = {
    next: () => nextUint32() / 0x1_0000_0000,

    int(min, max) {
      return min + Math.floor(random.next() * (max - min + 1));
    },

    chance(probability) {
      return random.next() < probability;
    },

    pick(items) {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[random.int(0, items.length - 1)] as (typeof items)[number];
    },

    bytes(length) {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = nextUint32() & 0xff;
      return out;
    },

    fork: () => sfc32(nextUint32(), nextUint32(), nextUint32(), nextUint32()),
  };
  return random;
}
