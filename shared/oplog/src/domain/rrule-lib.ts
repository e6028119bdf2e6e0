/**
 * The one import of the rrule library.
 *
 * rrule ships a CommonJS main and an ES module build whose imports lack file
 * extensions. Node (tests, hub, tsx) loads the CommonJS main, where the
 * exports sit on `default`; Vite (browser worker) loads the ES build, where
 * they are named. This picks whichever is there so both platforms share code.
 */
import * as rruleModule from 'rrule';

type RRuleModule = typeof import('rrule');

// Reflect.get, not `.default`: bundlers warn about reading a default export the
// ES build does not have, though this line only runs where it exists.
const loaded: RRuleModule =
  rruleModule.RRule !== undefined
    ? rruleModule
    : (Reflect.get(rruleModule, 'default') as RRuleModule);

export const RRule = loaded.RRule;
export type RRule = import('rrule').RRule;
export type RRuleOptions = import('rrule').Options;
