/**
 * Tiny assertions for the contract suite. The suite runs in Node under
 * vitest and inside a browser worker, so it can use neither node:assert nor
 * vitest's expect: these throw plain errors that any runner reports.
 */

export class AssertionError extends Error {
  override name = 'AssertionError';
}

export function ok(value: unknown, message: string): asserts value {
  if (!value) throw new AssertionError(message);
}

export function equal<T>(actual: T, expected: T, message: string): void {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(`${message}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

export function deepEqual(actual: unknown, expected: unknown, message: string): void {
  const a = stableJson(actual);
  const e = stableJson(expected);
  if (a !== e) throw new AssertionError(`${message}: expected ${e}, got ${a}`);
}

/** Resolves with the error `work` rejects with; throws if it does not reject. */
export async function rejects(work: () => Promise<unknown>, message: string): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new AssertionError(`${message}: expected a rejection`);
}

/** Awaits a rejection carrying `code` (OplogError and friends) and returns the error. */
export async function rejectsWithCode(
  work: () => Promise<unknown>,
  code: string,
  message: string,
): Promise<{ code: string; data: Record<string, unknown> }> {
  const error = (await rejects(work, message)) as { code?: unknown; data?: unknown };
  equal(error?.code, code, `${message}: error code`);
  return error as { code: string; data: Record<string, unknown> };
}

/** JSON with object keys sorted, bigints as strings and byte arrays as lists. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
  }
  return value;
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
