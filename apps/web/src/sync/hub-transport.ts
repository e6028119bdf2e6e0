/**
 * POSTs one /sync request to the hub and sorts every outcome into a value:
 * a stamped success, or a SyncFailure with a stable code and a sentence the
 * owner can act on. Nothing here throws for an expected failure, because
 * being offline is normal (STYLE.md).
 */
import type { ErrorBody, HubStamp } from '@heph/oplog';
import type { SyncErrorCode } from '../worker/protocol.ts';

export interface SyncFailure {
  ok: false;
  code: SyncErrorCode;
  message: string;
  /** HTTP status when the hub answered. */
  status: number | null;
}

export interface SyncSuccess<T> {
  ok: true;
  body: T;
  /** When the request left and when its answer arrived (epoch ms), for clock skew. */
  sentAt: number;
  receivedAt: number;
}

export type SyncOutcome<T> = SyncSuccess<T> | SyncFailure;

export interface HubTransportOptions {
  fetch: typeof fetch;
  now: () => number;
  /** The bearer token, or null when none is stored (a loopback hub needs none). */
  getToken: () => Promise<string | null>;
}

export async function postSync<T extends HubStamp>(
  hubUrl: string,
  path: '/sync/push' | '/sync/pull',
  body: unknown,
  options: HubTransportOptions,
): Promise<SyncOutcome<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const token = await options.getToken();
  if (token) headers.authorization = `Bearer ${token}`;

  const sentAt = options.now();
  let response: Response;
  try {
    response = await options.fetch(new URL(path, hubUrl), {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    return failure('unreachable', `Cannot reach the hub at ${hubUrl}.`, null);
  }

  const parsed = await readJson(response);
  const receivedAt = options.now();
  if (response.ok && isStamp(parsed)) {
    return { ok: true, body: parsed as T, sentAt, receivedAt };
  }
  return classifyError(hubUrl, response.status, parsed);
}

function classifyError(hubUrl: string, status: number, parsed: unknown): SyncFailure {
  const error = isErrorBody(parsed) ? parsed.error : null;
  if (status === 401 || error?.code === 'unauthorized') {
    return failure('unauthorized', 'Sign-in needed to sync with the hub.', status);
  }
  if (status === 403 || error?.code === 'forbidden') {
    return failure('forbidden', 'This account is not allowed on this hub.', status);
  }
  if (error?.code === 'protocol_mismatch') {
    const update = error.data?.update === 'hub' ? 'the hub' : 'this app';
    return failure(
      'protocol_mismatch',
      `The hub speaks another protocol: update ${update}.`,
      status,
    );
  }
  if (!error) {
    return failure(
      'not_a_hub',
      `${hubUrl} answered (HTTP ${status}) but is not a heph hub. Check the hub URL in settings.`,
      status,
    );
  }
  return failure('hub_error', `The hub refused the sync (${error.code}): ${error.message}`, status);
}

function failure(code: SyncErrorCode, message: string, status: number | null): SyncFailure {
  return { ok: false, code, message, status };
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

function isStamp(value: unknown): value is HubStamp {
  if (typeof value !== 'object' || value === null) return false;
  const stamp = value as Partial<HubStamp>;
  return typeof stamp.hubId === 'string' && typeof stamp.hubTime === 'number';
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as Partial<ErrorBody>).error;
  return typeof error === 'object' && error !== null && typeof error.code === 'string';
}
