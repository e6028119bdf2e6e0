import { describe, expect, it } from 'vitest';
import {
  describeRecurrence,
  firstOccurrence,
  isRecurrence,
  nextOccurrence,
  parseRecurrence,
} from '../../src/domain/recurrence.ts';
import { OplogError } from '../../src/errors.ts';
import { underEachProcessZone } from './zones.ts';

const NEW_YORK = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const iso = (instant: number | null) => (instant === null ? null : new Date(instant).toISOString());
const at = (text: string) => Date.parse(text);

/** The first `count` occurrences after the anchor (the anchor included, REC-3). */
function series(rule: string, anchor: number, zone: string, count: number): (string | null)[] {
  const found: (string | null)[] = [];
  let after = anchor - 1;
  for (let index = 0; index < count; index++) {
    const next = nextOccurrence(rule, anchor, after, zone);
    found.push(iso(next));
    if (next === null) break;
    after = next;
  }
  return found;
}

describe('parseRecurrence', () => {
  it.each([
    ['daily', 'FREQ=DAILY'],
    ['weekly', 'FREQ=WEEKLY'],
    ['monthly', 'FREQ=MONTHLY'],
    ['yearly', 'FREQ=YEARLY'],
    ['annually', 'FREQ=YEARLY'],
    ['weekdays', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'],
    ['every weekday', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'],
    ['every monday', 'FREQ=WEEKLY;BYDAY=MO'],
    ['every 3 days', 'FREQ=DAILY;INTERVAL=3'],
    ['every 2 weeks on monday', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO'],
    ['every 3 months', 'FREQ=MONTHLY;INTERVAL=3'],
    ['every other week', 'FREQ=WEEKLY;INTERVAL=2'],
    ['every monday and friday', 'FREQ=WEEKLY;BYDAY=MO,FR'],
    ['every tuesday, thursday', 'FREQ=WEEKLY;BYDAY=TU,TH'],
    ['every month on the 1st', 'FREQ=MONTHLY;BYMONTHDAY=1'],
    ['every 2 days for 3 times', 'FREQ=DAILY;INTERVAL=2;COUNT=3'],
    ['  Every   Monday ', 'FREQ=WEEKLY;BYDAY=MO'],
  ])('[REC-6] reads the English %j as %s', (text, rule) => {
    expect(parseRecurrence(text)).toBe(rule);
  });

  it.each([
    ['RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO'],
    ['rrule:freq=daily;count=3', 'FREQ=DAILY;COUNT=3'],
    ['BYDAY=MO;INTERVAL=2;FREQ=WEEKLY', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO'],
    ['FREQ=DAILY;INTERVAL=1', 'FREQ=DAILY'],
    ['FREQ=DAILY;UNTIL=20261210T000000Z', 'FREQ=DAILY;UNTIL=20261210T000000Z'],
  ])('[REC-6] normalizes the RRULE %s to one canonical order', (text, rule) => {
    expect(parseRecurrence(text)).toBe(rule);
  });

  it.each([
    'every monday foo',
    'every banana',
    'every',
    'hourly',
    'every 3 hours',
    'FREQ=HOURLY',
    'FREQ=MINUTELY;INTERVAL=5',
    'FREQ=DAILY;BYMINUTE=0,30',
    'FREQ=DAILY;BYSECOND=10',
    'INTERVAL=2',
    'FREQ=SOMETIMES',
    'DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY',
    'tomorrow',
    '',
    'FREQ=DAILY;INTERVAL=0',
    'FREQ=DAILY;COUNT=-1',
    'FREQ=DAILY;UNTIL=99999999T999999Z',
    'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30',
  ])('[REC-6] refuses %j as invalid_value on the recurrence field', (text) => {
    expect(isRecurrence(text)).toBe(false);
    try {
      parseRecurrence(text);
      expect.unreachable('parseRecurrence accepted it');
    } catch (error) {
      expect(error).toBeInstanceOf(OplogError);
      expect((error as OplogError).code).toBe('invalid_value');
      expect((error as OplogError).data).toEqual({ field: 'recurrence', value: text });
    }
  });
});

describe('describeRecurrence', () => {
  it.each([
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', 'every 2 weeks on Monday'],
    ['FREQ=DAILY', 'every day'],
    ['FREQ=MONTHLY;INTERVAL=3', 'every 3 months'],
    ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', 'every weekday'],
    ['weekdays', 'every weekday'],
    ['FREQ=YEARLY', 'every year'],
  ])('[REC-7] describes %s as %j', (rule, text) => {
    expect(describeRecurrence(rule)).toBe(text);
  });

  it('[REC-7] refuses a rule it cannot read', () => {
    expect(() => describeRecurrence('sometimes')).toThrow(OplogError);
  });
});

describe('nextOccurrence', () => {
  it('[REC-3] the anchor is the first occurrence, then the rule takes over', () => {
    const friday = at('2026-12-04T09:00:00Z');
    expect(series('FREQ=WEEKLY;BYDAY=MO', friday, 'UTC', 3)).toEqual([
      '2026-12-04T09:00:00.000Z',
      '2026-12-07T09:00:00.000Z',
      '2026-12-14T09:00:00.000Z',
    ]);
  });

  it('[REC-3] returns the first occurrence strictly after `after`', () => {
    const anchor = at('2026-12-01T08:00:00Z');
    const rule = 'FREQ=DAILY';
    expect(iso(nextOccurrence(rule, anchor, anchor, 'UTC'))).toBe('2026-12-02T08:00:00.000Z');
    expect(iso(nextOccurrence(rule, anchor, anchor - 1, 'UTC'))).toBe('2026-12-01T08:00:00.000Z');
    const lateInDay = at('2026-12-05T20:00:00Z');
    expect(iso(nextOccurrence(rule, anchor, lateInDay, 'UTC'))).toBe('2026-12-06T08:00:00.000Z');
  });

  it('[REC-4] keeps 09:00 New York time across the March and November DST changes', () => {
    const anchor = at('2026-03-06T09:00:00-05:00');
    expect(series('FREQ=WEEKLY', anchor, NEW_YORK, 3)).toEqual([
      '2026-03-06T14:00:00.000Z',
      '2026-03-13T13:00:00.000Z',
      '2026-03-20T13:00:00.000Z',
    ]);
    const autumn = at('2026-10-30T09:00:00-04:00');
    expect(series('FREQ=WEEKLY', autumn, NEW_YORK, 2)).toEqual([
      '2026-10-30T13:00:00.000Z',
      '2026-11-06T14:00:00.000Z',
    ]);
  });

  it('[REC-4] a wall time skipped by DST moves forward; a repeated one takes the earlier instant', () => {
    // Berlin skips 02:00-03:00 on 2026-03-29 and repeats 02:00-03:00 on 2026-10-25.
    const spring = at('2026-03-28T02:30:00+01:00');
    expect(series('FREQ=DAILY', spring, BERLIN, 3)).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
    const autumn = at('2026-10-24T02:30:00+02:00');
    expect(series('FREQ=DAILY', autumn, BERLIN, 3)).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('[REC-4] gives the same instants whatever the process time zone', () => {
    const anchor = at('2026-01-31T23:30:00-05:00');
    const rules = ['FREQ=MONTHLY;BYMONTHDAY=-1', 'FREQ=WEEKLY;BYDAY=SU', 'weekdays', 'FREQ=YEARLY'];
    const runs = underEachProcessZone(() =>
      rules.map((rule) => series(parseRecurrence(rule), anchor, NEW_YORK, 6)),
    );
    for (const run of runs) expect(run).toEqual(runs[0]);
    expect(runs[0]?.[0]?.[1]).toBe('2026-03-01T04:30:00.000Z');
  });

  it('[REC-8] a series with COUNT or UNTIL ends with null', () => {
    const anchor = at('2026-12-01T08:00:00Z');
    expect(series('FREQ=DAILY;COUNT=2', anchor, 'UTC', 5)).toEqual([
      '2026-12-01T08:00:00.000Z',
      '2026-12-02T08:00:00.000Z',
      null,
    ]);
    expect(series('FREQ=DAILY;UNTIL=20261203T120000Z', anchor, 'UTC', 5)).toEqual([
      '2026-12-01T08:00:00.000Z',
      '2026-12-02T08:00:00.000Z',
      '2026-12-03T08:00:00.000Z',
      null,
    ]);
  });

  it('[REC-9] never throws: an unreadable rule gives null, an unknown zone reads as UTC', () => {
    const anchor = at('2026-12-01T08:00:00Z');
    expect(nextOccurrence('sometimes', anchor, anchor, 'UTC')).toBeNull();
    expect(nextOccurrence('FREQ=HOURLY', anchor, anchor, 'UTC')).toBeNull();
    expect(nextOccurrence('FREQ=DAILY', Number.NaN, anchor, 'UTC')).toBeNull();
    expect(nextOccurrence('FREQ=DAILY', anchor, anchor, 'Mars/Olympus')).toBe(
      nextOccurrence('FREQ=DAILY', anchor, anchor, 'UTC'),
    );
  });
});

describe('firstOccurrence', () => {
  it('[REC-5] is the first day the rule itself produces from the given instant', () => {
    const wednesday = at('2026-12-02T00:00:00+01:00');
    expect(iso(firstOccurrence('FREQ=WEEKLY;BYDAY=MO', wednesday, BERLIN))).toBe(
      '2026-12-06T23:00:00.000Z',
    );
    expect(iso(firstOccurrence('FREQ=DAILY', wednesday, BERLIN))).toBe('2026-12-01T23:00:00.000Z');
    expect(firstOccurrence('nonsense', wednesday, BERLIN)).toBeNull();
  });
});
