/**
 * Dates written as text ("tomorrow 9am", "fri", "+3d", "2026-12-24"), read
 * with chrono-node and turned into instants in the owner's time zone.
 *
 * chrono works in the process's local time, which differs between the hub, a
 * phone and a test run. So chrono is handed the owner's wall-clock "now" and
 * only its calendar fields are read back (year, month, day, and the time when
 * the text gave one); wall-clock.ts turns them into the instant in the owner's
 * zone. A date without a time means the start of that day (SPEC.md, PARSE-3).
 *
 * Inside free text (quick-add) a match must be a date the owner clearly
 * meant: the guards below keep "sun", "may", "march" or "1/2 cup" in titles.
 */
import * as chrono from 'chrono-node';
import { OplogError } from '../errors.ts';
import { fromWallClock, toWallClock } from './wall-clock.ts';

export interface DateOptions {
  /** Epoch ms the text is relative to. */
  now: number;
  /** IANA zone of the owner ("Europe/Berlin"). */
  timeZone: string;
}

export interface DateMatch {
  start: number;
  end: number;
  text: string;
  instant: number;
}

/** Short weekday names that are also ordinary words; spell them out to mean the day. */
const WORDY_WEEKDAYS = new Set(['sun', 'sat', 'wed']);
/** Words chrono reads as dates that a title uses far more often as plain words. */
const WORDY_DATES = new Set(['now']);
/** A time the owner typed on purpose: "5pm", "17:00", "noon". */
const EXPLICIT_TIME = /\d\s*(am|pm|a\.m\.|p\.m\.)|\d:\d\d|\b(noon|midnight)\b/i;
/** "+3d" and "+2w" only: chrono reads "+1m" as a minute, which nobody means for a task. */
const SHORT_OFFSET = /^\+\d+[dw]$/i;

/** Every date in free text that passes the quick-add guards, in text order. */
export function findDates(text: string, options: DateOptions): DateMatch[] {
  return parseWithChrono(text, options)
    .filter(isClearlyADate)
    .map((result) => toDateMatch(result, options.timeZone));
}

/**
 * A date field's input: epoch ms, a string of digits (epoch ms), or date text
 * that must be wholly a date ("sun" is Sunday here, since nothing else is meant).
 * Throws OplogError 'invalid_value' naming `field`.
 */
export function parseDateInput(
  input: string | number,
  options: DateOptions & { field?: string },
): number {
  const field = options.field ?? 'date';
  if (typeof input === 'number') {
    if (isPlausibleInstant(input)) return Math.trunc(input);
    throw invalidDate(field, input);
  }

  const text = input.trim();
  if (/^\d{9,}$/.test(text)) {
    if (isPlausibleInstant(Number(text))) return Number(text);
    throw invalidDate(field, input);
  }

  const [result] = parseWithChrono(text, options);
  const whole = result !== undefined && result.index === 0 && result.text.length === text.length;
  if (!whole || !hasDateOrTime(result)) throw invalidDate(field, input);
  return toDateMatch(result, options.timeZone).instant;
}

/** Epoch ms from 1970 to the end of year 9999: what a Date and a person can use. */
const LAST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function isPlausibleInstant(millis: number): boolean {
  return Number.isFinite(millis) && millis >= 0 && millis <= LAST_INSTANT;
}

function parseWithChrono(text: string, options: DateOptions): chrono.ParsedResult[] {
  const wall = toWallClock(options.now, options.timeZone);
  // A local Date showing the owner's wall clock: chrono reads local fields only.
  const reference = new Date(
    wall.year,
    wall.month - 1,
    wall.day,
    wall.hour,
    wall.minute,
    wall.second,
    wall.millisecond,
  );
  return chrono.parse(text, reference, { forwardDate: true });
}

function isClearlyADate(result: chrono.ParsedResult): boolean {
  const text = result.text.trim().toLowerCase();
  const start = result.start;
  if (WORDY_DATES.has(text)) return false;
  if (text.startsWith('+')) return SHORT_OFFSET.test(text);
  if (isSlashDateWithoutYear(result)) return false;
  if (start.isCertain('day')) return true;
  if (start.isCertain('weekday')) return !WORDY_WEEKDAYS.has(text);
  if (start.isCertain('hour')) return EXPLICIT_TIME.test(text);
  return false;
}

function isSlashDateWithoutYear(result: chrono.ParsedResult): boolean {
  return /^\d{1,2}[/.]\d{1,2}$/.test(result.text.trim()) && !result.start.isCertain('year');
}

function hasDateOrTime(result: chrono.ParsedResult): boolean {
  const start = result.start;
  return start.isCertain('day') || start.isCertain('weekday') || start.isCertain('hour');
}

function toDateMatch(result: chrono.ParsedResult, timeZone: string): DateMatch {
  const start = result.start;
  const match = { start: result.index, end: result.index + result.text.length, text: result.text };
  if (namesItsOwnOffset(start)) {
    // The text named its own offset ("2026-12-24T09:00Z"): an instant already.
    return { ...match, instant: start.date().getTime() };
  }

  const timed = start.isCertain('hour');
  const wall = {
    year: start.get('year') ?? 0,
    month: start.get('month') ?? 1,
    day: start.get('day') ?? 1,
    hour: timed ? (start.get('hour') ?? 0) : 0,
    minute: timed ? (start.get('minute') ?? 0) : 0,
    second: timed ? (start.get('second') ?? 0) : 0,
    millisecond: 0,
  };
  return { ...match, instant: fromWallClock(wall, timeZone) };
}

/**
 * chrono also marks "now" and "in 2 hours" with the reference's offset, which
 * is the process's, not the owner's; only a written offset counts.
 */
function namesItsOwnOffset(start: chrono.ParsedComponents): boolean {
  const tags = start.tags();
  if (tags.has('result/relativeDate') || tags.has('casualReference/now')) return false;
  return start.isCertain('timezoneOffset');
}

function invalidDate(field: string, value: unknown): OplogError {
  return new OplogError('invalid_value', `not a date: ${JSON.stringify(value)}`, { field, value });
}
