/**
 * A loopback stand-in for the hub's /rpc and /config, for tests about what the
 * CLI sends and how it reads answers (arguments, error mapping, 401 handling).
 * Behaviour against the real hub is covered by hub.test.ts.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  authorization: string | undefined;
}

export interface StubAnswer {
  status?: number;
  result?: unknown;
  error?: { code: number; message: string; data?: Record<string, unknown> };
  headers?: Record<string, string>;
  /** Sent as the body instead of a JSON-RPC response (the hub's own error shape). */
  raw?: unknown;
}

export type StubHandler = (call: RecordedCall) => StubAnswer;

export interface StubHub {
  url: string;
  calls: RecordedCall[];
  setHandler(handler: StubHandler): void;
  /** Replaces fields of the /config answer. */
  setConfig(config: Record<string, unknown>): void;
  stop(): Promise<void>;
}

export async function startStubHub(handler: StubHandler = () => ({ result: { ok: true } })) {
  let current = handler;
  let config: Record<string, unknown> = {
    issuer: null,
    clientId: null,
    audience: null,
    authRequired: false,
    hubVersion: '0.0.0-stub',
    protocol: 1,
  };
  const calls: RecordedCall[] = [];

  const server: Server = createServer(async (request, response) => {
    if (request.method === 'GET' && request.url === '/config') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(config));
      return;
    }

    const body = JSON.parse(await readBody(request)) as {
      id: number;
      method: string;
      params: Record<string, unknown>;
    };
    const call = {
      method: body.method,
      params: body.params,
      authorization: request.headers.authorization,
    };
    calls.push(call);

    const answer = current(call);
    const payload =
      answer.raw ??
      (answer.error
        ? { jsonrpc: '2.0', id: body.id, error: answer.error }
        : { jsonrpc: '2.0', id: body.id, result: answer.result ?? { ok: true } });
    response.writeHead(answer.status ?? 200, {
      'content-type': 'application/json',
      ...answer.headers,
    });
    response.end(JSON.stringify(payload));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const stub: StubHub = {
    url: `http://127.0.0.1:${port}`,
    calls,
    setHandler(next) {
      current = next;
    },
    setConfig(changes) {
      config = { ...config, ...changes };
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return stub;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
