/**
 * Quick-add: one line of text becomes a task's fields, with the character
 * span of every token so the UI can highlight what it recognised.
 *
 * Tokens are found in a fixed order (SPEC.md, PARSE-*): `#project`, `@tag`
 * and `!attention`; then "every ..." recurrence; then dates, where "late" or
 * "by" before a date makes it the late-on date; last the single recurrence
 * words ("daily", "weekdays"), which count only at the end of the line so
 * "Daily standup" keeps its title. Each found token is masked before the next
 * step, so chrono never reads "monday" out of "every monday". What is left is
 * the title, untouched except that whitespace is collapsed where a token was.
 */
import type { Attention } from '../replica.ts';
import { type DateOptions, findDates } from './date-text.ts';
import { isRecurrence, parseRecurrence } from './recurrence.ts';

export type TokenKind = 'date' | 'late' | 'project' | 'tag' | 'attention' | 'recurrence';

export interface QuickAddToken {
  kind: TokenKind;
  /** Offset of the token's first character in the input. */
  start: number;
  /** Offset just past the token's last character. */
  end: number;
  text: string;
}

export interface QuickAdd {
  title: string;
  doDate?: number;
  lateOn?: number;
  attention?: Attention;
  /** The project's name as typed after `#`. */
  project?: string;
  tags: string[];
  /** Normalized RRULE. */
  recurrence?: string;
  tokens: QuickAddToken[];
}

const ATTENTION_WORDS = new Set<string>(['red', 'orange', 'white', 'blue']);
/** `#name`, `@name`, `!name` at the start of a word; "C#" and "a@b.org" stay text. */
const SIGIL_WORD = /(^|\s)([#@!])([^\s#@!]+)/g;
/** Punctuation that ends a sentence, not a project or tag name. */
const TRAILING_PUNCTUATION = /[.,;:?!)]+$/;
const EVERY_WORD = /(^|\s)(every)(?=\s)/gi;
const SINGLE_RECURRENCE_WORD = /(^|\s)(daily|weekly|monthly|yearly|annually|weekdays)(?=\s|$)/gi;
const LATE_KEYWORD = /(^|\s)(late|by)\s+$/i;
/** Longest "every ..." phrase tried, in words ("every 2 weeks on monday and friday"). */
const MAX_EVERY_WORDS = 8;
/** Stands in for a found token so later steps neither read nor join across it. */
const MASK = '\u2063';
const WORD_OUTSIDE_MASK = new RegExp(`[^\\s${MASK}]+`, 'g');
const ONLY_SPACE_OR_MASK = new RegExp(`^[\\s${MASK}]*$`);

export function parseQuickAdd(text: string, options: DateOptions): QuickAdd {
  const scan = { text, masked: text, tokens: [] as QuickAddToken[] };
  const result: QuickAdd = { title: '', tags: [], tokens: [] };

  findSigilTokens(scan, result);
  findEveryTokens(scan, result);
  findDateTokens(scan, result, options);
  findSingleRecurrenceWord(scan, result);

  result.tokens = [...scan.tokens].sort((a, b) => a.start - b.start);
  result.title = titleWithout(text, result.tokens);
  return result;
}

interface Scan {
  text: string;
  masked: string;
  tokens: QuickAddToken[];
}

function addToken(scan: Scan, kind: TokenKind, start: number, end: number): void {
  scan.tokens.push({ kind, start, end, text: scan.text.slice(start, end) });
  scan.masked = scan.masked.slice(0, start) + MASK.repeat(end - start) + scan.masked.slice(end);
}

function findSigilTokens(scan: Scan, result: QuickAdd): void {
  for (const match of scan.text.matchAll(SIGIL_WORD)) {
    const sigil = match[2] as string;
    const name = (match[3] as string).replace(TRAILING_PUNCTUATION, '');
    const start = (match.index ?? 0) + (match[1] as string).length;
    const end = start + 1 + name.length;
    if (name === '') continue;

    if (sigil === '#' && result.project === undefined) {
      result.project = name;
      addToken(scan, 'project', start, end);
    } else if (sigil === '@') {
      if (!result.tags.includes(name)) result.tags.push(name);
      addToken(scan, 'tag', start, end);
    } else if (
      sigil === '!' &&
      result.attention === undefined &&
      ATTENTION_WORDS.has(name.toLowerCase())
    ) {
      result.attention = name.toLowerCase() as Attention;
      addToken(scan, 'attention', start, end);
    }
  }
}

/** "every" plus the longest run of following words that reads as a recurrence. */
function findEveryTokens(scan: Scan, result: QuickAdd): void {
  for (const match of scan.masked.matchAll(EVERY_WORD)) {
    if (result.recurrence !== undefined) return;
    const start = (match.index ?? 0) + (match[1] as string).length;
    const phrase = longestRecurrence(scan.masked, start);
    if (!phrase) continue;

    result.recurrence = parseRecurrence(phrase);
    addToken(scan, 'recurrence', start, start + phrase.length);
  }
}

function longestRecurrence(masked: string, start: number): string | null {
  const words = [...masked.slice(start).matchAll(WORD_OUTSIDE_MASK)].slice(0, MAX_EVERY_WORDS);
  for (let count = words.length; count >= 2; count--) {
    const last = words[count - 1] as RegExpMatchArray;
    const phrase = masked.slice(start, start + (last.index ?? 0) + last[0].length);
    if (!phrase.includes(MASK) && isRecurrence(phrase)) return phrase;
  }
  return null;
}

function findDateTokens(scan: Scan, result: QuickAdd, options: DateOptions): void {
  for (const found of findDates(scan.masked, options)) {
    if (found.text.includes(MASK)) continue;
    const keyword = LATE_KEYWORD.exec(scan.masked.slice(0, found.start));

    if (keyword && result.lateOn === undefined) {
      result.lateOn = found.instant;
      addToken(
        scan,
        'late',
        found.start - keyword[0].length + (keyword[1] as string).length,
        found.end,
      );
    } else if (!keyword && result.doDate === undefined) {
      result.doDate = found.instant;
      addToken(scan, 'date', found.start, found.end);
    }
  }
}

/** "daily" and friends count only when nothing but other tokens follows them. */
function findSingleRecurrenceWord(scan: Scan, result: QuickAdd): void {
  if (result.recurrence !== undefined) return;

  for (const match of scan.masked.matchAll(SINGLE_RECURRENCE_WORD)) {
    const start = (match.index ?? 0) + (match[1] as string).length;
    const end = start + (match[2] as string).length;
    if (!ONLY_SPACE_OR_MASK.test(scan.masked.slice(end))) continue;

    result.recurrence = parseRecurrence(match[2] as string);
    addToken(scan, 'recurrence', start, end);
    return;
  }
}

/** The input without its tokens; whitespace collapses to one space only where a token was. */
function titleWithout(text: string, tokens: readonly QuickAddToken[]): string {
  let title = '';
  let cursor = 0;
  for (const token of tokens) {
    title = joinAtGap(title, text.slice(cursor, token.start));
    cursor = Math.max(cursor, token.end);
  }
  return joinAtGap(title, text.slice(cursor)).trim();
}

function joinAtGap(before: string, after: string): string {
  if (before === '') return after;
  const left = before.replace(/\s+$/, '');
  const right = after.replace(/^\s+/, '');
  // Punctuation that followed a token ("@dev!") stays attached to the word before it.
  if (left === '' || right === '' || /^[.,;:!?)]+(\s|$)/.test(right)) return left + right;
  return `${left} ${right}`;
}
