/** The domain rules (SPEC.md REC-*, RANK-*, PARSE-*, TASK-*) every surface shares. */
export * from './date-text.ts';
export * from './quick-add.ts';
export * from './recurrence.ts';
export {
  assertTimeZone,
  fromWallClock,
  isTimeZone,
  startOfDay,
  toWallClock,
  type WallClock,
} from './wall-clock.ts';
