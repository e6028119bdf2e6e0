/**
 * Page sizes from callers (scripts, RPC params) are clamped here, so a
 * missing, fractional or NaN limit never reaches SQL as a syntax error.
 */

export function clampLimit(limit: unknown, fallback: number, max: number, min = 1): number {
  if (typeof limit !== 'number' || !Number.isFinite(limit)) return fallback;
  return Math.min(Math.max(min, Math.floor(limit)), max);
}
