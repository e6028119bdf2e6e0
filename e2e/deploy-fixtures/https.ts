/**
 * A tiny HTTPS client that trusts exactly one CA (Caddy's internal root) and
 * hands back the raw body, so tests see the bytes and the Content-Encoding
 * Caddy chose instead of a body a client library already decoded.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Header names as sent, lower-cased, repeats kept (to spot a doubled header). */
  headerNames: string[];
  body: Buffer;
}

export interface RawRequest {
  ca: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export function httpsRequest(url: string, options: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, ca: options.ca },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            headerNames: res.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase()),
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The first bytes of every zstd frame (RFC 8878); Node 20 has no zstd decoder. */
export const zstdMagic = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
