/**
 * Process time zones the "same result everywhere" tests run under. Node
 * re-reads process.env.TZ when it is assigned, so one test run can compute
 * the same thing as a hub in UTC, a laptop in New York and a phone in
 * Kolkata or Chatham (+12:45/+13:45, an odd DST offset).
 */
export const PROCESS_ZONES = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'America/St_Johns',
];

/** What `compute` returns under each process time zone, in PROCESS_ZONES order. */
export function underEachProcessZone<T>(compute: () => T): T[] {
  const saved = process.env.TZ;
  try {
    return PROCESS_ZONES.map((zone) => {
      process.env.TZ = zone;
      return compute();
    });
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}
