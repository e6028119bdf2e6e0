/**
 * Recurrence: RFC 5545 RRULE text, plus the plain English the owner types.
 *
 * A rule is stored as a normalized RRULE string without DTSTART ("FREQ=WEEKLY;
 * INTERVAL=2;BYDAY=MO"): the series starts at the task's do date, its anchor.
 * The rrule library does the calendar arithmetic; this module only turns text
 * into options, writes them back in one canonical order, and runs the series
 * in wall-clock time so the time of day of the anchor survives DST changes and
 * every replica, in any process time zone, computes the same instants
 * (SPEC.md, REC-*).
 */
import { OplogError } from '../errors.ts';
import { RRule, type RRuleOptions } from './rrule-lib.ts';
import {
  floatingToWallClock,
  fromWallClock,
  isTimeZone,
  toWallClock,
  wallClockToFloating,
} from './wall-clock.ts';

type RuleOptions = Partial<RRuleOptions>;

/**
 * Tasks repeat by the day at the finest: sub-daily frequencies, BYMINUTE and
 * BYSECOND would flood the do-date list (BYHOUR is kept: a few times a day).
 */
const SLOWEST_ALLOWED_FREQ = RRule.DAILY;

/** Order of the parts in a normalized rule, so equal rules compare equal as text. */
const PART_ORDER = [
  'freq',
  'interval',
  'count',
  'until',
  'wkst',
  'bysetpos',
  'bymonth',
  'bymonthday',
  'byyearday',
  'byweekno',
  'byweekday',
  'byhour',
  'byminute',
  'bysecond',
  'byeaster',
] as const satisfies readonly (keyof RRuleOptions)[];

const WEEKDAYS_RULE = 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR';

/** Single words that stand for a whole phrase. */
const ENGLISH_ALIASES: Record<string, string> = {
  daily: 'every day',
  weekly: 'every week',
  monthly: 'every month',
  yearly: 'every year',
  annually: 'every year',
  weekdays: 'every weekday',
  'every weekday': 'every weekday',
};

/**
 * Words an English rule may use. rrule's parser skips words it does not know
 * ("every monday foo" reads as "every monday"), so anything else is refused
 * here rather than silently dropped.
 */
const ENGLISH_WORDS = new Set(
  (
    'every other day days week weeks month months year years weekday weekdays on and the in ' +
    'for times time until last of monday tuesday wednesday thursday friday saturday sunday ' +
    'mon tue tues wed thu thur thurs fri sat sun january february march april may june july ' +
    'august september october november december jan feb mar apr jun jul aug sep sept oct nov dec'
  ).split(' '),
);

/** Protects nextOccurrence from rules that generate a huge number of instants per day. */
const MAX_SEARCH_STEPS = 1_000;
/** More than any zone's offset from UTC, so a search that starts this early misses nothing. */
const SEARCH_MARGIN_MS = 2 * 86_400_000;

/** Normalized RRULE (no "RRULE:" prefix) for RRULE text or plain English. */
export function parseRecurrence(text: string): string {
  const options = readRecurrence(text);
  if (!options) {
    throw new OplogError('invalid_value', `not a recurrence: ${JSON.stringify(text)}`, {
      field: 'recurrence',
      value: text,
    });
  }
  return optionsToRule(options);
}

/** True when parseRecurrence would accept the text. */
export function isRecurrence(text: string): boolean {
  return readRecurrence(text) !== null;
}

/** A plain summary ("every 2 weeks on Monday") of a rule parseRecurrence accepts. */
export function describeRecurrence(rule: string): string {
  const normalized = parseRecurrence(rule);
  if (normalized === WEEKDAYS_RULE) return 'every weekday';

  const options = readRecurrence(normalized) as RuleOptions;
  return new RRule(options).toText();
}

/**
 * The first occurrence strictly after `after` of the series that starts at
 * `anchor` (all epoch ms), or null when the series has ended (COUNT, UNTIL).
 *
 * [REC-3] The anchor itself is always the first occurrence, even when the
 * rule would not produce it ("every monday" anchored on a Friday starts that
 * Friday). [REC-4] Later occurrences keep the anchor's wall-clock time in
 * `timeZone` across DST changes. The result does not depend on the process's
 * time zone. This never throws, because the materializer calls it on data
 * from other replicas: an unreadable rule gives null (no next occurrence) and
 * an unknown time zone is read as UTC.
 */
export function nextOccurrence(
  rule: string,
  anchor: number,
  after: number,
  timeZone: string,
): number | null {
  const options = readRecurrence(rule);
  if (!options || !Number.isFinite(anchor) || !Number.isFinite(after)) return null;
  if (anchor > after) return anchor;

  const zone = isTimeZone(timeZone) ? timeZone : 'UTC';
  const series = seriesInWallClock(options, anchor, zone);
  let cursor = new Date(toFloating(after, zone).getTime() - SEARCH_MARGIN_MS);

  for (let step = 0; step < MAX_SEARCH_STEPS; step++) {
    const next = series.after(cursor, false);
    if (!next) return null;

    const instant = fromWallClock(floatingToWallClock(next), zone);
    if (instant > after) return instant;
    cursor = next;
  }
  return null;
}

/**
 * [REC-5] The first instant on or after `from` that the rule itself produces
 * in a series started at `from`: the do date a recurring task gets when it
 * was given none ("every monday" typed on a Wednesday means next Monday).
 * Null when the rule produces nothing (or cannot be read).
 */
export function firstOccurrence(rule: string, from: number, timeZone: string): number | null {
  const options = readRecurrence(rule);
  if (!options || !Number.isFinite(from)) return null;

  const zone = isTimeZone(timeZone) ? timeZone : 'UTC';
  const start = toFloating(from, zone);
  const first = seriesInWallClock(options, from, zone).after(start, true);
  return first ? fromWallClock(floatingToWallClock(first), zone) : null;
}

function seriesInWallClock(options: RuleOptions, anchor: number, zone: string): RRule {
  const until = options.until ? toFloating(options.until.getTime(), zone) : null;
  return new RRule({ ...options, dtstart: toFloating(anchor, zone), until, tzid: null });
}

function toFloating(instant: number, zone: string): Date {
  return wallClockToFloating(toWallClock(instant, zone));
}

function readRecurrence(text: string): RuleOptions | null {
  const trimmed = text.trim();
  const options = /^(rrule:)?\s*[a-z]+=/i.test(trimmed)
    ? readRruleText(trimmed)
    : readEnglish(trimmed);

  if (!options || options.freq === undefined || options.freq === null) return null;
  if (options.freq > SLOWEST_ALLOWED_FREQ) return null;
  if (hasParts(options.byminute) || hasParts(options.bysecond)) return null;
  if (!isSaneRule(options)) return null;
  return options;
}

/** Rules read from 2000 on; one that produces nothing from there is refused. */
const PROBE_START = new Date(Date.UTC(2000, 0, 1));
const LAST_UNTIL = Date.UTC(9999, 11, 31);

/**
 * Numbers in range and at least one occurrence: INTERVAL=0, COUNT=-1, an
 * UNTIL past year 9999 or February 30th would otherwise make a task that
 * never comes due, or ends at its first done.
 */
function isSaneRule(options: RuleOptions): boolean {
  const { interval, count, until } = options;
  if (interval !== undefined && (!Number.isInteger(interval) || interval < 1)) return false;
  if (count !== undefined && count !== null && (!Number.isInteger(count) || count < 1)) {
    return false;
  }
  if (until && !(until.getTime() <= LAST_UNTIL)) return false;
  try {
    return new RRule({ ...options, dtstart: PROBE_START }).after(PROBE_START, true) !== null;
  } catch {
    return false;
  }
}

function hasParts(value: number | number[] | null | undefined): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined;
}

function readRruleText(text: string): RuleOptions | null {
  const body = text.replace(/^rrule:\s*/i, '');
  if (/[\r\n]/.test(body) || /(^|;)\s*dtstart/i.test(body)) return null;

  try {
    return RRule.parseString(body.toUpperCase());
  } catch {
    return null;
  }
}

function readEnglish(text: string): RuleOptions | null {
  const phrase = englishPhrase(text);
  if (phrase === 'every weekday') return RRule.parseString(WEEKDAYS_RULE);

  const words = phrase.replace(/,/g, ' ').split(' ').filter(Boolean);
  if (words[0] !== 'every' || !words.every(isEnglishWord)) return null;

  try {
    return RRule.parseText(phrase.replace(/^every other /, 'every 2 '));
  } catch {
    return null;
  }
}

function englishPhrase(text: string): string {
  const phrase = text.toLowerCase().replace(/\s+/g, ' ').trim();
  return ENGLISH_ALIASES[phrase] ?? phrase;
}

function isEnglishWord(word: string): boolean {
  return ENGLISH_WORDS.has(word) || /^\d+(st|nd|rd|th)?$/.test(word);
}

function optionsToRule(options: RuleOptions): string {
  const ordered: RuleOptions = {};
  for (const part of PART_ORDER) {
    const value = options[part];
    if (value === undefined || value === null) continue;
    if (part === 'interval' && value === 1) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    (ordered as Record<string, unknown>)[part] = value;
  }
  return RRule.optionsToString(ordered).replace(/^RRULE:/, '');
}
