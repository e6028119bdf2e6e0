/** The domain rules (SPEC.md REC-*, RANK-*, PARSE-*, TASK-*) every surface shares. */
export * from './commands.ts';
export { type DateMatch, type DateOptions, parseDateInput } from './date-text.ts';
export type { NodeDetails } from './node-commands.ts';
export { MAX_LIST_LIMIT, parseParams } from './params.ts';
export * from './quick-add.ts';
export * from './ranking.ts';
export * from './recurrence.ts';
export { DEFAULT_NEXT_LIMIT } from './task-commands.ts';
export { NONE, normalizeTag } from './task-fields.ts';
export {
  assertTimeZone,
  fromWallClock,
  isTimeZone,
  startOfDay,
  toWallClock,
  type WallClock,
} from './wall-clock.ts';
