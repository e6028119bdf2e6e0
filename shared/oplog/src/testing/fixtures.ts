/**
 * Injected time and randomness for tests (STYLE: never Date.now or
 * Math.random in the core). Both are deterministic from their seed.
 */

/** Random bytes from a seeded xorshift32 generator. */
export function createSeededRandomBytes(seed: number): (length: number) => Uint8Array {
  let state = seed >>> 0 || 0x9e3779b9;
  return (length) => {
    const bytes = new Uint8Array(length);
    for (let index = 0; index < length; index += 1) {
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      bytes[index] = state & 0xff;
    }
    return bytes;
  };
}

/** A clock the test moves by hand; `now` reads it. */
export interface ManualClock {
  now: () => number;
  set(millis: number): void;
  advance(millis: number): void;
}

export function createManualClock(start: number): ManualClock {
  let current = start;
  return {
    now: () => current,
    set: (millis) => {
      current = millis;
    },
    advance: (millis) => {
      current += millis;
    },
  };
}
