/**
 * Wall-clock time in a named time zone, computed with Intl only.
 *
 * Recurrence and quick-add dates are about what the owner's clock on the wall
 * shows ("every day at 9", "tomorrow"), not about instants. Every replica must
 * turn the same wall-clock time into the same instant whatever time zone its
 * own process runs in, so nothing here touches the local-time methods of
 * `Date`: instants go through `Intl.DateTimeFormat` with an explicit zone, and
 * wall-clock values are carried as plain numbers (or as "floating" UTC dates
 * whose UTC fields are the wall-clock fields).
 */
import { OplogError } from '../errors.ts';

export interface WallClock {
  year: number;
  /** 1-12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws OplogError 'invalid_value' when the zone is not an IANA zone this runtime knows. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function toWallClock(instant: number, timeZone: string): WallClock {
  const parts = formatterFor(timeZone).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((entry) => entry.type === type)?.value);

  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
    second: part('second'),
    millisecond: ((instant % 1000) + 1000) % 1000,
  };
}

/**
 * The instant a wall-clock time names in `timeZone`. Like Temporal's
 * 'compatible' choice: a time that occurs twice (clocks go back) is the
 * earlier instant; a time that never occurs (clocks go forward) is pushed
 * forward by the length of the gap, so 02:30 on a spring-forward night is 03:30.
 */
export function fromWallClock(wall: WallClock, timeZone: string): number {
  const floating = wallClockToFloating(wall).getTime();
  const offsetBefore = offsetAt(floating - DAY_MS, timeZone);
  const offsetAfter = offsetAt(floating + DAY_MS, timeZone);
  const earlier = floating - Math.max(offsetBefore, offsetAfter);
  const later = floating - Math.min(offsetBefore, offsetAfter);

  if (offsetAt(earlier, timeZone) === floating - earlier) return earlier;
  if (offsetAt(later, timeZone) === floating - later) return later;
  return floating - offsetBefore;
}

/** Midnight at the start of the wall-clock day that holds `instant`. */
export function startOfDay(instant: number, timeZone: string): number {
  const wall = toWallClock(instant, timeZone);
  return fromWallClock({ ...wall, hour: 0, minute: 0, second: 0, millisecond: 0 }, timeZone);
}

/** A Date whose UTC fields are the wall-clock fields (the form rrule computes in). */
export function wallClockToFloating(wall: WallClock): Date {
  const date = new Date(
    Date.UTC(2000, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond),
  );
  date.setUTCFullYear(wall.year);
  return date;
}

export function floatingToWallClock(date: Date): WallClock {
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    millisecond: date.getUTCMilliseconds(),
  };
}

/** Milliseconds the zone's wall clock is ahead of UTC at `instant`. */
function offsetAt(instant: number, timeZone: string): number {
  const whole = instant - (((instant % 1000) + 1000) % 1000);
  return wallClockToFloating(toWallClock(whole, timeZone)).getTime() - whole;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const known = formatters.get(timeZone);
  if (known) return known;

  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new OplogError('invalid_value', `unknown time zone: ${timeZone}`, {
      field: 'timeZone',
      value: timeZone,
    });
  }
  formatters.set(timeZone, formatter);
  return formatter;
}
