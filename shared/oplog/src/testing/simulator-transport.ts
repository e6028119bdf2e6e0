/**
 * The simulator's network: a bag of messages in flight that the simulator
 * empties one message at a time.
 *
 * Nothing is delivered on its own. A message becomes deliverable after a
 * random delay (counted in simulator steps), and the simulator then picks any
 * deliverable message, so messages overtake each other. A message may be lost
 * when sent, and may be sent twice. Payloads cross as JSON text, as on the
 * wire, so no replica ever shares an object with another.
 */
import type { Random } from './simulator-random.ts';

export interface TransportFaults {
  /** Chance that a sent message is lost. */
  drop: number;
  /** Chance that a sent message arrives twice. */
  duplicate: number;
  /** Most steps a message waits before it can be delivered. */
  maxDelay: number;
}

export interface TransportStats {
  sent: number;
  dropped: number;
  duplicated: number;
  /** Messages that waited at least one step before they could be delivered. */
  delayed: number;
  /** Messages delivered while an older one was still in flight. */
  reordered: number;
  delivered: number;
}

interface InFlight {
  readyAt: number;
  payload: string;
}

export class SimTransport<M> {
  readonly stats: TransportStats = {
    sent: 0,
    dropped: 0,
    duplicated: 0,
    delayed: 0,
    reordered: 0,
    delivered: 0,
  };
  #inFlight: InFlight[] = [];
  #faults: TransportFaults;

  constructor(
    private readonly random: Random,
    faults: TransportFaults,
  ) {
    this.#faults = faults;
  }

  get size(): number {
    return this.#inFlight.length;
  }

  /** Loses every message in flight (the server they were going to or from is gone). */
  clear(): void {
    this.stats.dropped += this.#inFlight.length;
    this.#inFlight = [];
  }

  /** From now on nothing is lost, doubled or delayed. */
  heal(): void {
    this.#faults = { drop: 0, duplicate: 0, maxDelay: 0 };
  }

  send(message: M, step: number): void {
    this.stats.sent++;
    if (this.random.chance(this.#faults.drop)) {
      this.stats.dropped++;
      return;
    }

    const payload = JSON.stringify(message);
    this.#enqueue(payload, step);
    if (this.random.chance(this.#faults.duplicate)) {
      this.stats.duplicated++;
      this.#enqueue(payload, step);
    }
  }

  /** Takes one deliverable message, chosen at random; null when none is ready. */
  take(step: number): M | null {
    const ready: number[] = [];
    this.#inFlight.forEach((entry, index) => {
      if (entry.readyAt <= step) ready.push(index);
    });
    if (ready.length === 0) return null;

    const index = this.random.pick(ready);
    const [entry] = this.#inFlight.splice(index, 1);
    this.stats.delivered++;
    if (index > 0) this.stats.reordered++;
    return JSON.parse((entry as InFlight).payload) as M;
  }

  /** Takes the oldest message regardless of its delay (used when healing). */
  takeOldest(): M | null {
    const entry = this.#inFlight.shift();
    if (!entry) return null;
    this.stats.delivered++;
    return JSON.parse(entry.payload) as M;
  }

  #enqueue(payload: string, step: number): void {
    const readyAt = step + this.random.int(0, this.#faults.maxDelay);
    if (readyAt > step) this.stats.delayed++;
    this.#inFlight.push({ readyAt, payload });
  }
}
