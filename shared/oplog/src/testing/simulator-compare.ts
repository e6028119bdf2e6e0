/**
 * Comparing what replicas hold, for the convergence simulator: a canonical
 * JSON form (object keys sorted) and a search for the first place where two
 * JSON values differ, so a failure names one path instead of printing two
 * whole stores.
 */

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
}

/** The first path where `a` and `b` differ, with both values there; null when equal. */
export function firstDifference(a: unknown, b: unknown, path = '$'): string | null {
  if (isLeaf(a) || isLeaf(b)) {
    return a === b ? null : `${path}: ${shorten(canonicalJson(a))} vs ${shorten(canonicalJson(b))}`;
  }

  const bothArrays = Array.isArray(a) && Array.isArray(b);
  const bothObjects = isPlainObject(a) && isPlainObject(b);
  if (bothArrays) {
    const length = Math.max(a.length, b.length);
    for (let i = 0; i < length; i++) {
      const found = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (bothObjects) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const found = firstDifference(a[key], b[key], `${path}.${key}`);
      if (found) return found;
    }
    return null;
  }
  return `${path}: ${shorten(canonicalJson(a))} vs ${shorten(canonicalJson(b))}`;
}

function isLeaf(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function shorten(text: string | undefined): string {
  if (text === undefined) return '(absent)';
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}
