/**
 * Node ids: ULIDs (SPEC.md ID-*), made by ulidx from the injected time and
 * randomness so that tests produce the same ids on every run.
 *
 * The factory is monotonic: ids made within one millisecond still sort in
 * the order they were made, so a list ordered by id is ordered by creation.
 */
import { monotonicFactory } from 'ulidx';

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
  const ulid = monotonicFactory(createPrng(randomBytes));
  return () => ulid(now());
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
