/**
 * The JSON-RPC client for the hub's `/rpc`. It keeps the owner signed in on
 * its own: a token close to expiry is refreshed before the call, and a 401 is
 * answered by one refresh and one retry. Hub errors become CliErrors whose
 * code fixes the exit status (not_found and ambiguous_prefix exit 2).
 */
// The protocol module alone: the full core would add seconds to every run.
import { RPC_ERRORS, type RpcMethod, type RpcParams } from '@heph/oplog/protocol';
import { type AuthContext, needsRefresh, refreshTokens } from './auth.ts';
import { CliError, type CliErrorCode, loginHint } from './errors.ts';
import type { TokenSet, TokenStore } from './token-store.ts';
import type { HttpResponse } from './transport.ts';

export interface RpcClient {
  call<M extends RpcMethod>(method: M, params: RpcParams[M]): Promise<Record<string, unknown>>;
}

export interface RpcClientOptions extends AuthContext {
  /** Null when talking to the hub's Unix socket, which needs no token. */
  store: TokenStore | null;
}

interface RpcErrorObject {
  code: number;
  message: string;
  data?: { code?: string } & Record<string, unknown>;
}

const CODE_BY_NUMBER = new Map<number, string>(
  Object.entries(RPC_ERRORS).map(([name, number]) => [number, name]),
);

export function createRpcClient(options: RpcClientOptions): RpcClient {
  let nextId = 1;
  // Loaded once per run: a token command (a password manager) is slow to ask.
  let loaded: Promise<TokenSet | null> | null = null;
  const load = () => {
    loaded ??= options.store ? options.store.load() : Promise.resolve(null);
    return loaded;
  };

  return {
    async call(method, params) {
      const id = nextId++;
      const body = JSON.stringify({ jsonrpc: '2.0', id, method, params });
      const { store } = options;

      let tokens = await load();
      if (store && tokens && needsRefresh(tokens, options.now())) {
        tokens = await refreshTokens(options, store, tokens);
        loaded = Promise.resolve(tokens);
      }

      let answer = await post(options, body, tokens);
      if (answer.status === 401 && store && tokens?.refresh_token) {
        tokens = await refreshTokens(options, store, tokens);
        loaded = Promise.resolve(tokens);
        answer = await post(options, body, tokens);
      }
      return readRpcAnswer(options.hubUrl, answer, tokens);
    },
  };
}

function post(options: RpcClientOptions, body: string, tokens: TokenSet | null) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
  };
  if (tokens) headers.authorization = `Bearer ${tokens.access_token}`;
  return options.transport.send(`${options.hubUrl}/rpc`, { method: 'POST', headers, body });
}

function readRpcAnswer(
  hubUrl: string,
  answer: HttpResponse,
  tokens: TokenSet | null,
): Record<string, unknown> {
  if (answer.status === 401) throw unauthorized(hubUrl, answer, tokens);

  const parsed = parseJson(answer.body);
  const error = rpcErrorOf(parsed);
  if (error) throw hubError(hubUrl, error);

  if (answer.status === 403) {
    throw new CliError('auth', `the hub at ${hubUrl} refused this account (403 forbidden)`);
  }
  if (answer.status >= 400 || !parsed || typeof parsed !== 'object' || !('result' in parsed)) {
    throw new CliError('hub_error', `the hub answered ${answer.status} without a JSON-RPC result`, {
      status: answer.status,
    });
  }
  return (parsed as { result: Record<string, unknown> }).result;
}

function unauthorized(hubUrl: string, answer: HttpResponse, tokens: TokenSet | null): CliError {
  if (!tokens) return new CliError('auth', `not logged in to ${hubUrl}; ${loginHint(hubUrl)}`);

  const challenge = answer.headers['www-authenticate'] ?? '';
  const description = /error_description="([^"]*)"/.exec(challenge)?.[1];
  const reason = description ?? (/error="([^"]*)"/.exec(challenge)?.[1] || 'token refused');
  return new CliError('auth', `the hub refused the token (${reason}); ${loginHint(hubUrl)}`, {
    reason,
  });
}

function hubError(hubUrl: string, error: RpcErrorObject): CliError {
  const name = error.data?.code ?? CODE_BY_NUMBER.get(error.code) ?? 'internal';
  const data = { ...error.data, code: name, rpcCode: error.code };

  if (name === 'unauthorized') {
    return new CliError('auth', `${error.message}; ${loginHint(hubUrl)}`, data);
  }
  const cliCode: CliErrorCode =
    name === 'not_found' || name === 'ambiguous_prefix'
      ? name
      : name === 'forbidden'
        ? 'auth'
        : name === 'invalid_params' || name === 'invalid_value'
          ? 'usage'
          : 'hub_error';
  return new CliError(cliCode, explain(error.message, data), data);
}

/** An ambiguous prefix is only fixable when the person sees what it matched. */
function explain(message: string, data: Record<string, unknown>): string {
  const matches = Array.isArray(data.matches) ? data.matches.map(String) : [];
  if (data.code !== 'ambiguous_prefix' || matches.length === 0) return message;
  return `${message}: ${matches.join(', ')}`;
}

function rpcErrorOf(parsed: unknown): RpcErrorObject | null {
  if (!parsed || typeof parsed !== 'object') return null;
  const error = (parsed as { error?: unknown }).error;
  if (!error || typeof error !== 'object') return null;

  const { code, message, data } = error as Record<string, unknown>;
  if (typeof code === 'number') {
    return {
      code,
      message: typeof message === 'string' ? message : 'the hub reported an error',
      data: data && typeof data === 'object' ? (data as RpcErrorObject['data']) : undefined,
    };
  }
  // The hub's non-RPC error body ({ error: { code: 'unauthorized', message } }).
  if (typeof code === 'string') {
    const number = RPC_ERRORS[code as keyof typeof RPC_ERRORS] ?? RPC_ERRORS.internal;
    return { code: number, message: String(message ?? code), data: { code } };
  }
  return null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
