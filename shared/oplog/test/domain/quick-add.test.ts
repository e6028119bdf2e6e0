import { describe, expect, it } from 'vitest';
import { parseDateInput } from '../../src/domain/date-text.ts';
import { parseQuickAdd, type QuickAdd } from '../../src/domain/quick-add.ts';
import type { OplogError } from '../../src/errors.ts';
import { underEachProcessZone } from './zones.ts';

/** Friday 2026-12-04, 15:30 in Berlin, 06:30 in Los Angeles. */
const NOW = Date.parse('2026-12-04T14:30:00Z');
const BERLIN = { now: NOW, timeZone: 'Europe/Berlin' };
const LOS_ANGELES = { now: NOW, timeZone: 'America/Los_Angeles' };
const iso = (instant: number | undefined) =>
  instant === undefined ? undefined : new Date(instant).toISOString();
const parse = (text: string) => parseQuickAdd(text, BERLIN);

function kinds(result: QuickAdd): string[] {
  return result.tokens.map((token) => `${token.kind}:${token.text}`);
}

describe('parseQuickAdd', () => {
  it('[PARSE-1] [PARSE-2] [PARSE-3] reads the plumber example', () => {
    const result = parse('Call the plumber tomorrow 9am #home !red every 3 months');
    expect(result.title).toBe('Call the plumber');
    expect(iso(result.doDate)).toBe('2026-12-05T08:00:00.000Z');
    expect(result.project).toBe('home');
    expect(result.attention).toBe('red');
    expect(result.recurrence).toBe('FREQ=MONTHLY;INTERVAL=3');
    expect(result.tags).toEqual([]);
    expect(kinds(result)).toEqual([
      'date:tomorrow 9am',
      'project:#home',
      'attention:!red',
      'recurrence:every 3 months',
    ]);
  });

  it('[PARSE-1] token spans are offsets into the input, in text order', () => {
    const text = '  Renew passport   @admin  by 2026-12-24 #travel @urgent ';
    const result = parseQuickAdd(text, BERLIN);
    for (const token of result.tokens) expect(text.slice(token.start, token.end)).toBe(token.text);
    const starts = result.tokens.map((token) => token.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(kinds(result)).toEqual([
      'tag:@admin',
      'late:by 2026-12-24',
      'project:#travel',
      'tag:@urgent',
    ]);
    expect(result.tags).toEqual(['admin', 'urgent']);
  });

  it('[PARSE-1] only the first #project counts; tags are kept once; unknown !words stay', () => {
    const result = parse('Plan #trip #work @a @a !loud !Blue !red');
    expect(result.project).toBe('trip');
    expect(result.tags).toEqual(['a']);
    expect(result.attention).toBe('blue');
    expect(result.title).toBe('Plan #work !loud !red');
  });

  it('[PARSE-1] sigils count only at a word start, without trailing punctuation', () => {
    const result = parse('Learn C# and mail a@b.org about @dev! (see #book).');
    expect(result.project).toBe('book');
    expect(result.tags).toEqual(['dev']);
    expect(result.title).toBe('Learn C# and mail a@b.org about! (see).');
  });

  it.each([
    ['every 2 weeks on monday', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO'],
    ['every monday and friday', 'FREQ=WEEKLY;BYDAY=MO,FR'],
    ['every weekday', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'],
    ['every 3 days', 'FREQ=DAILY;INTERVAL=3'],
  ])('[PARSE-2] takes the longest recurrence phrase %j', (phrase, rule) => {
    const result = parse(`Water plants ${phrase} near the window`);
    expect(result.recurrence).toBe(rule);
    expect(result.title).toBe('Water plants near the window');
    expect(kinds(result)).toEqual([`recurrence:${phrase}`]);
  });

  it('[PARSE-2] a single recurrence word counts only when nothing but tokens follows it', () => {
    expect(parse('Daily standup').recurrence).toBeUndefined();
    expect(parse('Daily standup').title).toBe('Daily standup');
    expect(parse('Write weekly report').title).toBe('Write weekly report');
    const standup = parse('Standup daily #work');
    expect(standup.recurrence).toBe('FREQ=DAILY');
    expect(standup.title).toBe('Standup');
    expect(parse('Stretch weekdays').recurrence).toBe('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR');
  });

  it('[PARSE-2] "every" that starts no rule stays in the title', () => {
    const result = parse('Read every page');
    expect(result.recurrence).toBeUndefined();
    expect(result.title).toBe('Read every page');
  });

  it.each([
    ['today', '2026-12-03T23:00:00.000Z'],
    ['tomorrow', '2026-12-04T23:00:00.000Z'],
    ['tomorrow 9am', '2026-12-05T08:00:00.000Z'],
    ['9am tomorrow', '2026-12-05T08:00:00.000Z'],
    ['+3d', '2026-12-06T23:00:00.000Z'],
    ['+2w', '2026-12-17T23:00:00.000Z'],
    ['in 2 weeks', '2026-12-17T23:00:00.000Z'],
    ['mon', '2026-12-06T23:00:00.000Z'],
    ['fri', '2026-12-10T23:00:00.000Z'],
    ['2026-12-24', '2026-12-23T23:00:00.000Z'],
    ['dec 24', '2026-12-23T23:00:00.000Z'],
    ['next tuesday 5pm', '2026-12-08T16:00:00.000Z'],
    ['5pm', '2026-12-04T16:00:00.000Z'],
    ['at 17:30', '2026-12-04T16:30:00.000Z'],
  ])('[PARSE-3] reads %j in Berlin as %s', (date, expected) => {
    const result = parse(`Ship it ${date}`);
    expect(iso(result.doDate)).toBe(expected);
    expect(result.title).toBe('Ship it');
    expect(kinds(result)).toEqual([`date:${date}`]);
  });

  it('[PARSE-3] dates are days in the owner zone, not the process zone', () => {
    expect(iso(parseQuickAdd('Ship it today', LOS_ANGELES).doDate)).toBe(
      '2026-12-04T08:00:00.000Z',
    );
    expect(iso(parseQuickAdd('Ship it tomorrow 9am', LOS_ANGELES).doDate)).toBe(
      '2026-12-05T17:00:00.000Z',
    );
  });

  it('[PARSE-3] the first date is the do date; a later one stays in the title', () => {
    const result = parse('Move desk tomorrow then monday');
    expect(iso(result.doDate)).toBe('2026-12-04T23:00:00.000Z');
    expect(result.title).toBe('Move desk then monday');
  });

  it('[PARSE-4] "late" and "by" introduce the late-on date', () => {
    const result = parse('Report late next tuesday 5pm fri');
    expect(iso(result.lateOn)).toBe('2026-12-08T16:00:00.000Z');
    expect(iso(result.doDate)).toBe('2026-12-10T23:00:00.000Z');
    expect(kinds(result)).toEqual(['late:late next tuesday 5pm', 'date:fri']);
    expect(result.title).toBe('Report');

    const rent = parse('Pay rent by friday @money');
    expect(iso(rent.lateOn)).toBe('2026-12-10T23:00:00.000Z');
    expect(rent.doDate).toBeUndefined();
    expect(rent.title).toBe('Pay rent');
  });

  it('[PARSE-4] "late" or "by" without a date is plain text', () => {
    const result = parse('I may be late, book by Tolkien');
    expect(result.lateOn).toBeUndefined();
    expect(result.title).toBe('I may be late, book by Tolkien');
  });

  it.each([
    'Wear sun screen',
    'Watch the sun set',
    'Sat exam prep',
    'Wed the couple',
    'Order march madness tickets',
    'I may be late',
    'Ask May about it',
    'Add 1/2 cup flour',
    'Call mom at 5',
    'Do it now',
    'Fix bug 2026',
    'Review chapter 3',
    'Plan second half',
    'Buy 2 eggs',
    'Bump +1m',
    'Read 1984',
  ])('[PARSE-5] keeps %j as a plain title', (text) => {
    const result = parse(text);
    expect(result.title).toBe(text);
    expect(result.tokens).toEqual([]);
  });

  it('[PARSE-5] the spelt-out day and a month with a day are dates', () => {
    expect(iso(parse('Picnic sunday').doDate)).toBe('2026-12-05T23:00:00.000Z');
    expect(iso(parse('Plant march 3').doDate)).toBe('2027-03-02T23:00:00.000Z');
    expect(iso(parse('Ship 12/24/2026').doDate)).toBe('2026-12-23T23:00:00.000Z');
  });

  it('[PARSE-6] the title keeps its text; whitespace collapses only at removed spans', () => {
    const result = parse('Fix   the  gate #home   tomorrow  , then oil it');
    expect(result.title).toBe('Fix   the  gate, then oil it');
    expect(parse('#home Sweep  the  yard').title).toBe('Sweep  the  yard');
    expect(parse('!red tomorrow').title).toBe('');
  });

  it('[PARSE-7] gives the same fields whatever the process time zone', () => {
    const lines = [
      'Call the plumber tomorrow 9am #home !red every 3 months',
      'Pay rent by friday',
      'Ship it +3d',
      'Ship it next tuesday 5pm',
      'Ship it 2026-12-24',
    ];
    const runs = underEachProcessZone(() => lines.map((line) => parse(line)));
    for (const run of runs) expect(run).toEqual(runs[0]);
  });
});

describe('parseDateInput', () => {
  it('[PARSE-8] takes epoch ms, digit strings and date text', () => {
    expect(parseDateInput(1_796_457_600_000, BERLIN)).toBe(1_796_457_600_000);
    expect(parseDateInput('1796457600000', BERLIN)).toBe(1_796_457_600_000);
    expect(iso(parseDateInput('tomorrow 9am', BERLIN))).toBe('2026-12-05T08:00:00.000Z');
    expect(iso(parseDateInput('2026-12-24T09:00:00Z', BERLIN))).toBe('2026-12-24T09:00:00.000Z');
  });

  it('[PARSE-8] reads words a quick-add title would keep, since the field says it is a date', () => {
    expect(iso(parseDateInput('sun', BERLIN))).toBe('2026-12-05T23:00:00.000Z');
    expect(iso(parseDateInput('now', BERLIN))).toBe('2026-12-04T14:30:00.000Z');
  });

  it('[PARSE-8] gives the same instant for "now" and "in 2 hours" in any process zone', () => {
    const runs = underEachProcessZone(() => [
      parseDateInput('now', LOS_ANGELES),
      parseDateInput('in 2 hours', LOS_ANGELES),
    ]);
    for (const run of runs) expect(run).toEqual([NOW, NOW + 2 * 3_600_000]);
  });

  it.each([
    'soon',
    'tomorrow-ish please',
    'march',
    '',
    Number.NaN,
    -1e20,
    1e20,
    '99999999999999999',
  ])('[PARSE-8] refuses %j as invalid_value naming the field', (input) => {
    try {
      parseDateInput(input, { ...BERLIN, field: 'lateOn' });
      expect.unreachable('parseDateInput accepted it');
    } catch (error) {
      expect((error as OplogError).code).toBe('invalid_value');
      expect((error as OplogError).data.field).toBe('lateOn');
    }
  });
});
