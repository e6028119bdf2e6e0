/**
 * The database worker: one per tab, owning that tab's SQLite connection.
 * It answers the tab's requests (protocol.ts), tells every tab about
 * changes on a BroadcastChannel, and runs sync.
 */
/// <reference lib="webworker" />
import { TOKEN_CHANNEL } from '../auth/token-store.ts';
import {
  CHANGES_CHANNEL,
  type ChangeEvent,
  type WorkerMessage,
  type WorkerRequest,
} from './protocol.ts';
import { errorToBody, Spoke } from './spoke.ts';

declare const self: DedicatedWorkerGlobalScope;

const changes = new BroadcastChannel(CHANGES_CHANNEL);

function post(message: WorkerMessage): void {
  self.postMessage(message);
}

const spoke = new Spoke({
  filename: 'heph.sqlite3',
  pageOrigin: self.location.origin,
  onStatus: (status) => post({ kind: 'status', status }),
  onChange: (event) => {
    post(event);
    changes.postMessage(event);
  },
});

// Another tab's write or sync: refresh what this worker caches, then tell our tab.
changes.onmessage = async (event: MessageEvent<ChangeEvent>) => {
  if (event.data.kind !== 'changed') return;
  await spoke.externalChange(event.data);
  post(event.data);
};
new BroadcastChannel(TOKEN_CHANNEL).onmessage = () => spoke.engine?.syncNow();
self.addEventListener('online', () => spoke.engine?.syncNow());
self.addEventListener('offline', () => void spoke.refreshPending());

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  try {
    const result = await handle(request);
    post({ kind: 'response', id: request.id, ok: true, result });
  } catch (error) {
    post({ kind: 'response', id: request.id, ok: false, error: errorToBody(error) });
  }
};

function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.kind) {
    case 'call':
      return spoke.call(request.method, request.params);
    case 'query':
      return spoke.query(request.name, request.args);
    case 'control':
      return spoke.control(request.name, request.args);
  }
}
