/**
 * Where the spoke keeps its hub credentials: one record in IndexedDB, which
 * both the page (the sign-in screens write it) and the database worker (sync
 * reads it) can open. A change is announced on a BroadcastChannel so every
 * tab's worker retries sync at once after a sign-in.
 *
 * Tokens are never logged and never leave this origin except in the
 * Authorization header sent to the configured hub.
 */

export interface StoredTokens {
  accessToken: string;
  /** Epoch ms when the access token expires, when known. */
  expiresAt?: number;
  refreshToken?: string;
  idToken?: string;
  /** The issuer the tokens came from, for refresh. */
  issuer?: string;
}

export const TOKEN_CHANNEL = 'heph-auth';

const DB_NAME = 'heph-auth';
const STORE = 'tokens';
const KEY = 'hub';

function openStore(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore<T>(
  mode: IDBTransactionMode,
  work: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openStore();
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

function announce(): void {
  const channel = new BroadcastChannel(TOKEN_CHANNEL);
  channel.postMessage({ kind: 'tokens-changed' });
  channel.close();
}

export const tokenStore = {
  async get(): Promise<StoredTokens | null> {
    const value = await withStore('readonly', (store) => store.get(KEY));
    return (value as StoredTokens | undefined) ?? null;
  },

  async set(tokens: StoredTokens): Promise<void> {
    await withStore('readwrite', (store) => store.put(tokens, KEY));
    announce();
  },

  async clear(): Promise<void> {
    await withStore('readwrite', (store) => store.delete(KEY));
    announce();
  },

  /** Calls `listener` whenever any tab or worker sets or clears the tokens. */
  subscribe(listener: () => void): () => void {
    const channel = new BroadcastChannel(TOKEN_CHANNEL);
    channel.onmessage = () => listener();
    return () => channel.close();
  },
};
