/**
 * What every hub handler shares: the replica, the hub's identity and clock.
 * `stamp()` is the HubStamp that rides on every /sync response, errors
 * included, so a spoke learns the hub id, protocol and hub time from any
 * answer it gets.
 */
import type { HubStamp, Replica } from '@heph/oplog';
import { PROTOCOL_VERSION } from '@heph/oplog';

export interface Hub {
  replica: Replica;
  /** Changes whenever the store is replaced (a restored backup, a new seed). */
  hubId: string;
  now: () => number;
}

export function stamp(hub: Hub): HubStamp {
  return {
    hubId: hub.hubId,
    protocol: PROTOCOL_VERSION,
    hubTime: hub.now(),
    ownerId: hub.replica.ownerId,
  };
}
