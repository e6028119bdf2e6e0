/**
 * Node ids: ULIDs (SPEC.md ID-*), made by ulidx from the injected time and
 * randomness so that tests produce the same ids on every run.
 *
 * Each id gets fresh random bits, even within one millisecond. A monotonic
 * factory would sort same-millisecond ids in creation order, but it makes
 * them differ only in their last character: a task and the project that
 * quick-add creates with it would then share every short prefix a person
 * types. Creation order is kept by the nodes' clocks instead.
 */
import { ulid } from 'ulidx';

/** [ID-1] Crockford base-32, 26 characters, upper case as ulidx writes it. */
export const NODE_ID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

const PREFIX_PATTERN = /^[0-9A-HJKMNP-TV-Z]{1,26}$/;

export type NodeIdFactory = () => string;

export function isNodeId(value: unknown): value is string {
  return typeof value === 'string' && NODE_ID_PATTERN.test(value);
}

/** [ID-2] Prefixes are matched case-insensitively: the canonical form is upper case. */
export function normalizeIdPrefix(prefix: string): string | null {
  const upper = prefix.trim().toUpperCase();
  return PREFIX_PATTERN.test(upper) ? upper : null;
}

export function createIdFactory(
  now: () => number,
  randomBytes: (length: number) => Uint8Array,
): NodeIdFactory {
  const prng = createPrng(randomBytes);
  return () => ulid(now(), prng);
}

/** A uniform number in [0, 1) from 4 injected random bytes at a time. */
function createPrng(randomBytes: (length: number) => Uint8Array): () => number {
  return () => {
    const bytes = randomBytes(4);
    const value =
      (bytes[0] ?? 0) * 2 ** 24 +
      (bytes[1] ?? 0) * 2 ** 16 +
      (bytes[2] ?? 0) * 2 ** 8 +
      (bytes[3] ?? 0);
    return value / 2 ** 32;
  };
}

/** One id from a throwaway factory, for callers that make ids rarely. */
export function createNodeId(
  now: () => number,
  randomBytes: (length: number) => Uint8Array,
): string {
  return createIdFactory(now, randomBytes)();
}
