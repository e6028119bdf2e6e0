/**
 * Hybrid logical clock (HLC).
 *
 * Every op is stamped with a timestamp of three parts: physical milliseconds,
 * a counter that orders events within one millisecond, and the origin (the id
 * of the replica that made the op). The string form sorts in the same order as
 * `compareTimestamps`, so SQLite can order ops with a plain `ORDER BY clock`.
 *
 * The rules (SPEC.md, CLOCK-*) differ from textbook HLC in one way: a remote
 * timestamp far in the future never drags the local clock more than
 * `MAX_DRIFT_MS` ahead of local physical time. The op itself is still kept
 * and applied; only the local clock refuses to jump.
 */

export interface Timestamp {
  readonly millis: number;
  readonly counter: number;
  readonly origin: string;
}

/** How far ahead of local physical time a received timestamp may move us. */
export const MAX_DRIFT_MS = 60_000;

export const MAX_COUNTER = 0xffff;

const MILLIS_DIGITS = 12;
const COUNTER_DIGITS = 4;
const ORIGIN_PATTERN = /^[0-9a-z]{1,32}$/;
const STRING_PATTERN = /^([0-9a-f]{12})-([0-9a-f]{4})-([0-9a-z]{1,32})$/;

export class ClockError extends Error {
  constructor(
    readonly code: 'invalid_timestamp' | 'invalid_origin',
    message: string,
  ) {
    super(message);
    this.name = 'ClockError';
  }
}

export function createOrigin(randomBytes: (length: number) => Uint8Array): string {
  return Array.from(randomBytes(8), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function isOrigin(value: string): boolean {
  return ORIGIN_PATTERN.test(value);
}

export function timestampToString(timestamp: Timestamp): string {
  const millis = timestamp.millis.toString(16).padStart(MILLIS_DIGITS, '0');
  const counter = timestamp.counter.toString(16).padStart(COUNTER_DIGITS, '0');
  return `${millis}-${counter}-${timestamp.origin}`;
}

export function parseTimestamp(text: string): Timestamp {
  const match = STRING_PATTERN.exec(text);
  if (!match) {
    throw new ClockError('invalid_timestamp', `not a clock value: ${JSON.stringify(text)}`);
  }
  const [, millis, counter, origin] = match as unknown as [string, string, string, string];
  return { millis: Number.parseInt(millis, 16), counter: Number.parseInt(counter, 16), origin };
}

export function isTimestampString(text: string): boolean {
  return STRING_PATTERN.test(text);
}

export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  if (a.millis !== b.millis) return a.millis < b.millis ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  if (a.origin === b.origin) return 0;
  return a.origin < b.origin ? -1 : 1;
}

/** [CLOCK-2] The timestamp for a new local event. */
export function sendTimestamp(local: Timestamp, now: number): Timestamp {
  if (now > local.millis) return { millis: now, counter: 0, origin: local.origin };
  return increment(local.millis, local.counter, local.origin);
}

/**
 * [CLOCK-3] The local clock after seeing a remote timestamp. The remote
 * physical part counts only up to `now + MAX_DRIFT_MS` ([CLOCK-4]).
 */
export function receiveTimestamp(local: Timestamp, remote: Timestamp, now: number): Timestamp {
  const bound = now + MAX_DRIFT_MS;
  const remoteMillis = Math.min(remote.millis, bound);
  const remoteCounter = remote.millis > bound ? 0 : remote.counter;
  const millis = Math.max(local.millis, remoteMillis, now);

  if (millis === local.millis && millis === remoteMillis) {
    return increment(millis, Math.max(local.counter, remoteCounter), local.origin);
  }
  if (millis === local.millis) return increment(millis, local.counter, local.origin);
  if (millis === remoteMillis) return increment(millis, remoteCounter, local.origin);
  return { millis, counter: 0, origin: local.origin };
}

/**
 * [CLOCK-5] A local timestamp that sorts after `observed`. Used when the
 * owner overrides a value that a fast peer wrote: the edit must win, so it is
 * stamped after that value even though this moves the local clock ahead.
 */
export function sendAfter(local: Timestamp, observed: Timestamp, now: number): Timestamp {
  const next = sendTimestamp(local, now);
  if (compareTimestamps(next, observed) > 0) return next;
  return increment(observed.millis, observed.counter, local.origin);
}

function increment(millis: number, counter: number, origin: string): Timestamp {
  // A counter that runs out spills into the next millisecond rather than
  // failing: the clock then runs at most one millisecond per 65,536 events
  // ahead of real time, which no burst of local edits comes near.
  if (counter >= MAX_COUNTER) return { millis: millis + 1, counter: 0, origin };
  return { millis, counter: counter + 1, origin };
}

/** A replica's clock: the last timestamp it issued or saw, and its time source. */
export class HybridClock {
  #last: Timestamp;

  constructor(
    last: Timestamp,
    private readonly now: () => number,
  ) {
    if (!isOrigin(last.origin)) {
      throw new ClockError('invalid_origin', `not an origin: ${JSON.stringify(last.origin)}`);
    }
    this.#last = last;
  }

  get last(): Timestamp {
    return this.#last;
  }

  send(): Timestamp {
    this.#last = sendTimestamp(this.#last, this.now());
    return this.#last;
  }

  sendAfter(observed: Timestamp): Timestamp {
    this.#last = sendAfter(this.#last, observed, this.now());
    return this.#last;
  }

  receive(remote: Timestamp): void {
    this.#last = receiveTimestamp(this.#last, remote, this.now());
  }

  /**
   * [CLOCK-6] Another connection to the same store (a second tab, a second
   * process) issued timestamps of this origin up to `issued`: never issue
   * one at or below them. Unlike `receive`, this is not bounded by
   * MAX_DRIFT_MS, since these are our own origin's timestamps.
   */
  catchUp(issued: Timestamp): void {
    if (compareTimestamps(issued, this.#last) > 0) {
      this.#last = { millis: issued.millis, counter: issued.counter, origin: this.#last.origin };
    }
  }
}
