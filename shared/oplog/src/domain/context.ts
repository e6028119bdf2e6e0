/**
 * What a command needs from its surface: the replica, the clock, the owner's
 * time zone and an id source. The hub's /rpc, the browser worker and the CLI
 * (through /rpc) each build one, so they share every rule below them.
 */
import type { Replica } from '../replica.ts';

export interface CommandContext {
  replica: Replica;
  /** Physical time, epoch ms; injected so tests pin "today". */
  now: () => number;
  /** IANA zone quick-add dates and recurrences are read in. */
  timeZone: string;
  /** A fresh node id (ULID). */
  newId: () => string;
}
