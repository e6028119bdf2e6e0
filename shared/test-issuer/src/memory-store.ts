/**
 * The issuer's storage: one Map per test issuer, so two issuers in one process never see each
 * other's codes (oidc-provider's built-in memory adapter shares one store per process and warns
 * on every start). Entries are not evicted: the provider checks `exp` itself, and a test issuer
 * lives for one test file. Keeping the store in reach also lets a test expire a device code on
 * the spot instead of waiting for the clock.
 */
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

export interface MemoryStore {
  adapterFactory: AdapterFactory;
  /** Moves a device code's expiry into the past. Returns false when the user code is unknown. */
  expireDeviceCode(userCode: string, now: number): boolean;
  /** The stored payloads of one model ('DeviceCode', 'RefreshToken', ...). */
  payloads(model: string): AdapterPayload[];
}

const grantableModels = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

export function createMemoryStore(): MemoryStore {
  const entries = new Map<string, AdapterPayload>();
  const userCodes = new Map<string, string>();
  const sessionUids = new Map<string, string>();
  const grantMembers = new Map<string, Set<string>>();

  const keyOf = (model: string, id: string) => `${model}:${id}`;

  function createAdapter(model: string): Adapter {
    return {
      async upsert(id, payload) {
        const key = keyOf(model, id);
        entries.set(key, payload);
        if (payload.userCode) userCodes.set(payload.userCode, key);
        if (model === 'Session' && payload.uid) sessionUids.set(payload.uid, key);
        if (grantableModels.has(model) && payload.grantId) {
          const members = grantMembers.get(payload.grantId) ?? new Set<string>();
          members.add(key);
          grantMembers.set(payload.grantId, members);
        }
      },
      async find(id) {
        return entries.get(keyOf(model, id));
      },
      async findByUserCode(userCode) {
        const key = userCodes.get(userCode);
        return key === undefined ? undefined : entries.get(key);
      },
      async findByUid(uid) {
        const key = sessionUids.get(uid);
        return key === undefined ? undefined : entries.get(key);
      },
      async consume(id) {
        const payload = entries.get(keyOf(model, id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        entries.delete(keyOf(model, id));
      },
      async revokeByGrantId(grantId) {
        for (const key of grantMembers.get(grantId) ?? []) entries.delete(key);
        grantMembers.delete(grantId);
      },
    };
  }

  return {
    adapterFactory: createAdapter,

    expireDeviceCode(userCode, now) {
      const key = userCodes.get(userCode);
      const payload = key === undefined ? undefined : entries.get(key);
      if (!payload) return false;

      // Far enough back to beat the provider's clock tolerance.
      payload.exp = now - 3600;
      return true;
    },

    payloads(model) {
      const prefix = `${model}:`;
      return [...entries].filter(([key]) => key.startsWith(prefix)).map(([, payload]) => payload);
    },
  };
}
