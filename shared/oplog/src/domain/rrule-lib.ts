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

const loaded: RRuleModule =
  (rruleModule as RRuleModule & { default?: RRuleModule }).RRule !== undefined
    ? rruleModule
    : ((rruleModule as unknown as { default: RRuleModule }).default ?? rruleModule);

export const RRule = loaded.RRule;
export type RRule = import('rrule').RRule;
export type RRuleOptions = import('rrule').Options;
