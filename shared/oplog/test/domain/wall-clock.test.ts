import { describe, expect, it } from 'vitest';
import {
  assertTimeZone,
  fromWallClock,
  startOfDay,
  toWallClock,
} from '../../src/domain/wall-clock.ts';
import { OplogError } from '../../src/errors.ts';
import { underEachProcessZone } from './zones.ts';

const wall = (year: number, month: number, day: number, hour: number, minute = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second: 0,
  millisecond: 0,
});

describe('wall clock', () => {
  it('[REC-4] the process-zone helper really moves the local offset (so those tests can fail)', () => {
    const offsets = underEachProcessZone(() => new Date(Date.UTC(2026, 6, 1)).getTimezoneOffset());
    expect(new Set(offsets).size).toBeGreaterThan(3);
  });

  it('[REC-4] round-trips an instant through the wall clock of a zone', () => {
    const instant = Date.parse('2026-07-01T12:34:56.789Z');
    const berlin = toWallClock(instant, 'Europe/Berlin');
    expect(berlin).toEqual({ ...wall(2026, 7, 1, 14, 34), second: 56, millisecond: 789 });
    expect(fromWallClock(berlin, 'Europe/Berlin')).toBe(instant);
  });

  it('[REC-4] a skipped wall time moves forward by the gap; a repeated one is the earlier', () => {
    const zone = 'America/New_York';
    expect(new Date(fromWallClock(wall(2026, 3, 8, 2, 30), zone)).toISOString()).toBe(
      '2026-03-08T07:30:00.000Z',
    );
    expect(new Date(fromWallClock(wall(2026, 11, 1, 1, 30), zone)).toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
  });

  it('[PARSE-3] the start of a day is local midnight in the zone', () => {
    const instant = Date.parse('2026-12-04T23:30:00Z');
    expect(new Date(startOfDay(instant, 'Europe/Berlin')).toISOString()).toBe(
      '2026-12-04T23:00:00.000Z',
    );
    expect(new Date(startOfDay(instant, 'UTC')).toISOString()).toBe('2026-12-04T00:00:00.000Z');
  });

  it('[TASK-1] an unknown zone is invalid_value on the timeZone field', () => {
    try {
      assertTimeZone('Mars/Olympus');
      expect.unreachable('the zone was accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(OplogError);
      expect((error as OplogError).data).toEqual({ field: 'timeZone', value: 'Mars/Olympus' });
    }
  });
});
