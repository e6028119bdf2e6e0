/**
 * The PWA shell, served from the web root.
 *
 * Files that name a build (index.html, sw.js, the manifest, anything outside
 * /assets/) must be revalidated on every load, or an installed PWA would keep
 * an old build; Vite's hashed files under /assets/ never change and are
 * cached for a year. Unknown navigations get index.html, so the PWA's own
 * routes survive a reload. Every path is decoded once, resolved against the
 * web root and checked (after symlinks) to stay inside it.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { Context } from 'hono';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/**
 * The policy the built PWA runs under, the same string deploy/caddy/Caddyfile
 * sends (Caddy replaces the hub's copy, so it is never doubled). img-src
 * keeps Markdown in a context from loading images from other sites.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "manifest-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/** Paths that belong to the API: a miss there is a 404, never the shell. */
const API_PREFIXES = ['/sync', '/rpc', '/auth', '/config', '/healthz'];

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>heph: PWA not built yet</title></head>
<body><h1>PWA not built yet</h1>
<p>The hub is running and its API answers, but there is no web app to serve.
Build it with <code>npm run build</code> in the repository, then reload.</p></body></html>
`;

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export function isWebRootBuilt(webRoot: string): boolean {
  return existsSync(join(webRoot, 'index.html'));
}

export function createStaticHandler(webRoot: string) {
  const root = resolve(webRoot);

  return async (c: Context): Promise<Response> => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
    const requested = decodePath(new URL(c.req.url).pathname);
    if (requested === null) return c.text('bad path', 400);
    if (isApiPath(requested)) {
      return c.json({ error: { code: 'not_found', message: `no route ${requested}` } }, 404);
    }

    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD') return c.text('method not allowed', 405);

    const file = resolveInside(root, requested === '/' ? '/index.html' : requested);
    if (file === 'escape') return c.text('not found', 404);
    if (file) return serveFile(c, file, root);

    if (!isNavigation(c)) return c.text('not found', 404);
    const index = resolveInside(root, '/index.html');
    if (typeof index === 'string') return serveFile(c, index, root);
    return c.html(NOT_BUILT_PAGE, 503, { 'Cache-Control': REVALIDATE });
  };
}

function decodePath(pathname: string): string | null {
  try {
    const decoded = decodeURIComponent(pathname);
    return decoded.includes('\0') || decoded.includes('\\') ? null : decoded;
  } catch {
    return null;
  }
}

/** The real file for `path`, null when there is none, 'escape' when it leaves the root. */
function resolveInside(root: string, path: string): string | null | 'escape' {
  const candidate = resolve(root, `.${path}`);
  if (!isWithin(root, candidate)) return 'escape';

  let real: string;
  try {
    real = realpathSync(candidate);
    if (!statSync(real).isFile()) return null;
  } catch {
    return null;
  }
  return isWithin(realpathSync(root), real) ? real : 'escape';
}

function isWithin(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

function isApiPath(path: string): boolean {
  return API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

function isNavigation(c: Context): boolean {
  return c.req.method === 'GET' && (c.req.header('accept') ?? '').includes('text/html');
}

async function serveFile(c: Context, file: string, root: string): Promise<Response> {
  const body = await readFile(file);
  const hashed = isWithin(join(realpathSync(root), 'assets'), file);
  const headers = {
    'Content-Type': contentTypeFor(file),
    'Cache-Control': hashed ? IMMUTABLE : REVALIDATE,
  };
  if (c.req.method === 'HEAD') {
    return c.body(null, 200, { ...headers, 'Content-Length': String(body.byteLength) });
  }
  return c.body(body, 200, headers);
}
