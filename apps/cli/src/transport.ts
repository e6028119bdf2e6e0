/**
 * HTTP to the hub over node:http / node:https rather than global fetch, for
 * two things fetch cannot do on Node 20 without extra packages: trusting an
 * extra CA file given on the command line (`--ca-file`), and talking to the
 * hub's Unix socket (`--socket`). Failures to connect become `unreachable`
 * (exit 4); anything the hub answers, whatever its status, is a response.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { CliError } from './errors.ts';

export interface HttpRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Transport {
  send(url: string, request: HttpRequest): Promise<HttpResponse>;
}

export interface TransportOptions {
  /** PEM text of extra certificates to trust, beside the system's roots. */
  extraCa?: string;
  /** Send every request to this Unix socket instead of the URL's host. */
  socketPath?: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

const CERTIFICATE_ERRORS = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function createTransport(options: TransportOptions = {}): Transport {
  const ca = options.extraCa ? [...rootCertificates, options.extraCa] : undefined;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return {
    send(url, request) {
      return new Promise((resolve, reject) => {
        const target = new URL(url);
        const send =
          target.protocol === 'https:' && !options.socketPath ? httpsRequest : httpRequest;
        const headers = { ...request.headers };
        if (request.body !== undefined) {
          headers['content-length'] = String(Buffer.byteLength(request.body));
        }

        const outgoing = send(
          target,
          {
            method: request.method,
            headers,
            ca,
            socketPath: options.socketPath,
            timeout: timeoutMs,
          },
          (incoming) => {
            const chunks: Buffer[] = [];
            incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
            incoming.on('error', (error) => reject(unreachable(target, error)));
            incoming.on('end', () =>
              resolve({
                status: incoming.statusCode ?? 0,
                headers: flattenHeaders(incoming.headers),
                body: Buffer.concat(chunks).toString('utf8'),
              }),
            );
          },
        );

        outgoing.on('timeout', () =>
          outgoing.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
        );
        outgoing.on('error', (error) => reject(unreachable(target, error, options.socketPath)));
        outgoing.end(request.body);
      });
    },
  };
}

/** Adapts a transport to the fetch signature oauth4webapi's customFetch hook expects. */
export function transportFetch(transport: Transport) {
  return async (
    url: string,
    init: { method: string; headers: Record<string, string>; body?: unknown },
  ): Promise<Response> => {
    const body = init.body === undefined || init.body === null ? undefined : String(init.body);
    const method = init.method === 'GET' ? 'GET' : 'POST';
    const answer = await transport.send(url, { method, headers: init.headers, body });
    return new Response(answer.status === 204 ? null : answer.body, {
      status: answer.status,
      headers: answer.headers,
    });
  };
}

function unreachable(target: URL, error: Error, socketPath?: string): CliError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  const where = socketPath ? `the hub's socket ${socketPath}` : `the hub at ${target.origin}`;

  if (CERTIFICATE_ERRORS.has(code)) {
    return new CliError(
      'unreachable',
      `cannot reach ${where}: its TLS certificate is not trusted (${code}); ` +
        'pass --ca-file PEM or set NODE_EXTRA_CA_CERTS',
      { cause: code },
    );
  }
  return new CliError('unreachable', `cannot reach ${where}: ${error.message}`, { cause: code });
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>) {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
