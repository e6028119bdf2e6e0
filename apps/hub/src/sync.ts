/**
 * `/sync/push` and `/sync/pull` (SPEC.md SYNC-*).
 *
 * The hub adds nothing to an op: a push is handed to `replica.apply` as it
 * came, which validates the whole batch before storing any of it and assigns
 * each new op the next hub sequence number. A pull is a page of stored ops
 * after the spoke's cursor. The reset rule lives here: a cursor that cannot
 * belong to this store (another hub id, or past the last op) tells the spoke
 * to re-send everything and start again from 0.
 */
import {
  type ErrorCode,
  isOrigin,
  MAX_OPS_PER_REQUEST,
  OplogError,
  PROTOCOL_VERSION,
  type PullResponse,
  type PushResponse,
} from '@heph/oplog';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type Hub, stamp } from './hub.ts';
import type { Logger } from './log.ts';

export class SyncError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: ContentfulStatusCode,
    message: string,
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

export function createSyncRoutes(hub: Hub, logger?: Logger): Hono {
  const routes = new Hono();

  routes.post('/push', async (c) => {
    const body = await readJsonObject(c);
    checkProtocol(body.protocol);
    const origin = readOrigin(body.origin);
    const ops = body.ops;
    if (!Array.isArray(ops)) throw invalidRequest('ops must be an array', 'ops');
    if (ops.length > MAX_OPS_PER_REQUEST) {
      throw invalidRequest(`a push holds at most ${MAX_OPS_PER_REQUEST} ops`, 'ops');
    }

    const result = await applyOps(hub, ops, origin);
    const response: PushResponse = {
      ...stamp(hub),
      inserted: result,
      lastSeq: await hub.replica.lastSeq(),
    };
    return c.json(response);
  });

  routes.post('/pull', async (c) => {
    const body = await readJsonObject(c);
    checkProtocol(body.protocol);
    const origin = readOrigin(body.origin);
    const cursor = readInteger(body.cursor, 'cursor', 0, Number.MAX_SAFE_INTEGER);
    const hubId = body.hubId;
    if (hubId !== null && typeof hubId !== 'string') {
      throw invalidRequest('hubId must be a string or null', 'hubId');
    }
    const limit =
      body.limit === undefined
        ? MAX_OPS_PER_REQUEST
        : readInteger(body.limit, 'limit', 1, MAX_OPS_PER_REQUEST);
    if (body.excludeOwn !== undefined && typeof body.excludeOwn !== 'boolean') {
      throw invalidRequest('excludeOwn must be a boolean', 'excludeOwn');
    }
    const excludeOwn = body.excludeOwn ?? true;

    const lastSeq = await hub.replica.lastSeq();
    if ((hubId !== null && hubId !== hub.hubId) || cursor > lastSeq) {
      const reset: PullResponse = { ...stamp(hub), ops: [], cursor: 0, more: true, reset: true };
      return c.json(reset);
    }

    const page = await hub.replica.opsAfter(cursor, {
      limit,
      ...(excludeOwn ? { excludeOrigin: origin } : {}),
    });
    const response: PullResponse = {
      ...stamp(hub),
      ops: page.items.map((item) => item.op),
      cursor: page.cursor,
      more: page.more,
      reset: false,
    };
    return c.json(response);
  });

  routes.onError((error, c) => syncErrorResponse(hub, c, error, logger));
  return routes;
}

async function applyOps(hub: Hub, ops: unknown[], origin: string): Promise<number> {
  try {
    const result = await hub.replica.apply(ops);
    return result.inserted;
  } catch (error) {
    if (error instanceof OplogError && error.code === 'invalid_op') {
      throw new SyncError('invalid_op', 400, error.message, { origin, ...safeData(error.data) });
    }
    throw error;
  }
}

export function syncErrorResponse(hub: Hub, c: Context, error: unknown, logger?: Logger): Response {
  // A stack overflow in a handler comes from input nested too deep to walk.
  if (error instanceof RangeError) return syncErrorResponse(hub, c, tooDeep(), logger);
  if (error instanceof SyncError) {
    return c.json(
      { ...stamp(hub), error: errorBody(error.code, error.message, error.data) },
      error.status,
    );
  }
  logger?.error({ err: error, path: c.req.path }, 'sync failed');
  const message = 'the hub failed to handle this request';
  return c.json({ ...stamp(hub), error: errorBody('internal', message) }, 500);
}

function errorBody(code: ErrorCode, message: string, data?: Record<string, unknown>) {
  return data ? { code, message, data } : { code, message };
}

async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep();
    throw new SyncError('invalid_request', 400, 'the body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SyncError('invalid_request', 400, 'the body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** [SYNC-8] Checked before anything else in the body, so the answer names the version. */
function checkProtocol(clientProtocol: unknown): void {
  if (clientProtocol === PROTOCOL_VERSION) return;
  if (typeof clientProtocol !== 'number' || !Number.isInteger(clientProtocol)) {
    throw invalidRequest('protocol must be an integer', 'protocol');
  }
  const update = clientProtocol < PROTOCOL_VERSION ? 'client' : 'hub';
  throw new SyncError(
    'protocol_mismatch',
    409,
    `this hub speaks protocol ${PROTOCOL_VERSION}, the client ${clientProtocol}: update the ${update}`,
    { hubProtocol: PROTOCOL_VERSION, clientProtocol, update },
  );
}

function readOrigin(value: unknown): string {
  if (typeof value !== 'string' || !isOrigin(value)) {
    throw invalidRequest('origin must be 1-32 characters of 0-9 and a-z', 'origin');
  }
  return value;
}

function readInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidRequest(`${field} must be an integer from ${min} to ${max}`, field);
  }
  return value;
}

function tooDeep(): SyncError {
  return new SyncError('invalid_request', 400, 'too deeply nested');
}

/** Error data that can be sent back as JSON; a value nested too deep is dropped. */
function safeData(data: Record<string, unknown>): Record<string, unknown> {
  try {
    JSON.stringify(data);
    return data;
  } catch {
    return {};
  }
}

function invalidRequest(message: string, field: string): SyncError {
  return new SyncError('invalid_request', 400, message, { field });
}
