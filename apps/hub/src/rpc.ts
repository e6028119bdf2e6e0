/**
 * `/rpc`: JSON-RPC 2.0 over POST for scripts and agents that keep no replica
 * (SPEC.md RPC-*). Each method is one of the domain `commands`, run against
 * the hub's own replica, so its ops are stamped with the hub's origin and
 * reach every spoke on its next pull.
 *
 * A single request answers with its HTTP status telling the outcome class
 * (400 for a malformed call, 404 for an unknown method or node, 409 for an
 * ambiguous prefix); a batch answers 200 with one response per call that
 * had an id. Notifications (no id) run but get no response; a request that
 * was only notifications answers 204.
 */
import { type CommandContext, commands, OplogError, RPC_ERRORS } from '@heph/oplog';
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from './log.ts';

export type RpcErrorName = keyof typeof RPC_ERRORS;

type RpcId = string | number | null;

interface RpcResponse {
  jsonrpc: '2.0';
  id: RpcId;
  result?: unknown;
  error?: { code: number; message: string; data: Record<string, unknown> };
}

/** The most calls one batch may hold; a bigger batch is refused whole. */
export const MAX_BATCH = 100;

const HTTP_STATUS: Record<RpcErrorName, ContentfulStatusCode> = {
  parse_error: 400,
  invalid_request: 400,
  method_not_found: 404,
  invalid_params: 400,
  internal: 500,
  not_found: 404,
  ambiguous_prefix: 409,
  invalid_value: 400,
  unauthorized: 401,
  forbidden: 403,
};

export class RpcError extends Error {
  constructor(
    readonly name_: RpcErrorName,
    message: string,
    readonly data: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

export interface RpcDeps {
  context: () => CommandContext;
  logger: Logger;
}

type Command = (ctx: CommandContext, params: unknown) => Promise<unknown>;

const methods = commands as unknown as Record<string, Command>;

export function createRpcRoutes(deps: RpcDeps): Hono {
  const routes = new Hono();

  routes.post('/', async (c) => {
    const text = await c.req.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      if (isTooDeep(error)) return c.json(errorResponse(null, tooDeep()), 400);
      const response = errorResponse(null, new RpcError('parse_error', 'the body is not JSON'));
      return c.json(response, 400);
    }

    if (Array.isArray(body)) return handleBatch(c, deps, body);

    const response = await handleCall(deps, body);
    if (!response) return c.body(null, 204);
    return c.json(response, response.error ? httpStatusOf(response) : 200);
  });

  // A value nested too deep for the stack can still overflow while a
  // response is written; that is the caller's input, not a hub failure.
  routes.onError((error, c) => {
    if (!isTooDeep(error)) throw error;
    return c.json(errorResponse(null, tooDeep()), 400);
  });

  return routes;
}

async function handleBatch(c: Context, deps: RpcDeps, calls: unknown[]): Promise<Response> {
  if (calls.length === 0 || calls.length > MAX_BATCH) {
    const message = `a batch holds 1 to ${MAX_BATCH} calls`;
    return c.json(errorResponse(null, new RpcError('invalid_request', message)), 400);
  }

  // Calls run one after another: each sees the effects of the ones before it.
  const responses: RpcResponse[] = [];
  for (const call of calls) {
    const response = await handleCall(deps, call);
    if (response) responses.push(response);
  }
  if (responses.length === 0) return c.body(null, 204);
  return c.json(responses, 200);
}

async function handleCall(deps: RpcDeps, call: unknown): Promise<RpcResponse | null> {
  const request = readRequest(call);
  if (request instanceof RpcError) return errorResponse(idOf(call), request);

  const { id, method, params, notification } = request;
  const command = Object.hasOwn(methods, method) ? methods[method] : undefined;
  if (!command) {
    const error = new RpcError('method_not_found', `no method ${method}`, { method });
    return notification ? null : errorResponse(id, error);
  }

  try {
    const result = await command(deps.context(), params);
    return notification ? null : { jsonrpc: '2.0', id, result };
  } catch (error) {
    const rpcError = toRpcError(error, method);
    if (rpcError.name_ === 'internal') deps.logger.error({ err: error, method }, 'rpc failed');
    return notification ? null : errorResponse(id, rpcError);
  }
}

interface ParsedRequest {
  id: RpcId;
  method: string;
  params: Record<string, unknown>;
  notification: boolean;
}

function readRequest(call: unknown): ParsedRequest | RpcError {
  if (typeof call !== 'object' || call === null || Array.isArray(call)) {
    return new RpcError('invalid_request', 'a call must be a JSON object');
  }
  const fields = call as Record<string, unknown>;
  if (fields.jsonrpc !== '2.0') {
    return new RpcError('invalid_request', 'jsonrpc must be "2.0"', { field: 'jsonrpc' });
  }
  if (typeof fields.method !== 'string') {
    return new RpcError('invalid_request', 'method must be a string', { field: 'method' });
  }
  const notification = !Object.hasOwn(fields, 'id');
  const id = fields.id ?? null;
  if (!isValidId(id)) {
    return new RpcError('invalid_request', 'id must be a string, number or null', {
      field: 'id',
    });
  }

  // By-name params only: every method takes an object (SPEC.md RPC-2).
  const params = fields.params ?? {};
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    return new RpcError('invalid_params', 'params must be an object', { field: 'params' });
  }
  return { id, method: fields.method, params: params as Record<string, unknown>, notification };
}

function isValidId(id: unknown): id is RpcId {
  return id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
}

function idOf(call: unknown): RpcId {
  if (typeof call !== 'object' || call === null) return null;
  const id = (call as Record<string, unknown>).id;
  return isValidId(id) ? id : null;
}

/** A stack overflow: in a request handler, only deeply nested input causes one. */
function isTooDeep(error: unknown): boolean {
  return error instanceof RangeError;
}

function tooDeep(): RpcError {
  return new RpcError('invalid_request', 'too deeply nested');
}

function toRpcError(error: unknown, method: string): RpcError {
  if (error instanceof RpcError) return error;
  if (isTooDeep(error)) return tooDeep();
  if (error instanceof OplogError) {
    const name = oplogCodeToRpc(error.code);
    return new RpcError(name, error.message, { ...error.data, method });
  }
  if (error instanceof Error && error.name === 'ValiError') {
    return new RpcError('invalid_params', error.message, { method });
  }
  return new RpcError('internal', 'the hub failed to run this method', { method });
}

function oplogCodeToRpc(code: OplogError['code']): RpcErrorName {
  switch (code) {
    case 'not_found':
      return 'not_found';
    case 'ambiguous_prefix':
      return 'ambiguous_prefix';
    case 'invalid_value':
    case 'invalid_query':
      return 'invalid_value';
    case 'invalid_op':
      return 'invalid_params';
    default:
      return 'internal';
  }
}

/** Longest string an error echoes back; a 1 MB bad value is not sent back whole. */
const MAX_ECHO_CHARS = 200;

function errorResponse(id: RpcId, error: RpcError): RpcResponse {
  return {
    jsonrpc: '2.0',
    id,
    error: {
      code: RPC_ERRORS[error.name_],
      message: shorten(error.message),
      data: { ...shortenValues(error.data), code: error.name_ },
    },
  };
}

function shorten(text: string): string {
  return text.length > MAX_ECHO_CHARS ? `${text.slice(0, MAX_ECHO_CHARS)}…` : text;
}

function shortenValues(data: Record<string, unknown>): Record<string, unknown> {
  const entries = Object.entries(data).map(([key, value]) => {
    if (typeof value === 'string') return [key, shorten(value)];
    // Lists (an ambiguous prefix's matches) stay lists a client can use.
    if (Array.isArray(value)) return [key, value.slice(0, 10).map(shortenItem)];
    if (typeof value === 'object' && value !== null) {
      const text = stringifyOrNull(value);
      if (text === null) return [key, TOO_DEEP_ECHO];
      if (text.length > MAX_ECHO_CHARS) return [key, shorten(text)];
    }
    return [key, value];
  });
  return Object.fromEntries(entries);
}

function shortenItem(item: unknown): unknown {
  if (typeof item === 'string') return shorten(item);
  if (typeof item === 'object' && item !== null && stringifyOrNull(item) === null) {
    return TOO_DEEP_ECHO;
  }
  return item;
}

/** Echoed instead of a value too deeply nested to turn back into JSON. */
const TOO_DEEP_ECHO = '[too deeply nested]';

function stringifyOrNull(value: unknown): string | null {
  try {
    return JSON.stringify(value);
  } catch {
    return null;
  }
}

function httpStatusOf(response: RpcResponse): ContentfulStatusCode {
  const code = response.error?.code;
  const name = (Object.keys(RPC_ERRORS) as RpcErrorName[]).find((key) => RPC_ERRORS[key] === code);
  return name ? HTTP_STATUS[name] : 500;
}
