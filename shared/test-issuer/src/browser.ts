/**
 * Just enough of a browser to walk oidc-provider's own device pages with fetch: a cookie jar,
 * manual redirects (so every Set-Cookie on the way is kept) and the hidden inputs of the
 * forms those pages render. The pages are the provider's built-in development views; their
 * markup is simple and stable, so a few regular expressions read it.
 */

export interface Page {
  url: string;
  status: number;
  html: string;
}

export interface PageForm {
  action: string;
  fields: Record<string, string>;
}

export interface Browser {
  get(url: string): Promise<Page>;
  post(url: string, fields: Record<string, string>): Promise<Page>;
}

const maxRedirects = 10;

export function createBrowser(): Browser {
  // Keyed by name only: the provider's cookie names are unique across its paths.
  const cookies = new Map<string, string>();

  function keepCookies(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const removed = attributes.some((attribute) => isRemoval(attribute.trim().toLowerCase()));
      if (removed || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
  }

  async function request(url: string, init: RequestInit): Promise<Page> {
    let current = url;
    let next: RequestInit = init;

    for (let hop = 0; hop <= maxRedirects; hop++) {
      const headers = new Headers(next.headers);
      if (cookies.size > 0) headers.set('cookie', cookieHeader(cookies));
      const response = await fetch(current, { ...next, headers, redirect: 'manual' });
      keepCookies(response);

      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        current = new URL(location, current).href;
        next = { method: 'GET' };
        continue;
      }

      return { url: current, status: response.status, html: await response.text() };
    }

    throw new Error(`more than ${maxRedirects} redirects from ${url}`);
  }

  return {
    get: (url) => request(url, { method: 'GET' }),
    post: (url, fields) =>
      request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      }),
  };
}

/** The forms of a page, with their hidden (and pre-filled) inputs, in document order. */
export function readForms(page: Page): PageForm[] {
  const forms: PageForm[] = [];
  for (const match of page.html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const action = attribute(match[1] ?? '', 'action');
    const fields: Record<string, string> = {};
    for (const input of (match[2] ?? '').matchAll(/<input\b([^>]*)>/gi)) {
      const name = attribute(input[1] ?? '', 'name');
      const value = attribute(input[1] ?? '', 'value');
      if (name !== undefined && value !== undefined) fields[name] = value;
    }
    forms.push({ action: new URL(action ?? page.url, page.url).href, fields });
  }
  return forms;
}

function attribute(tag: string, name: string): string | undefined {
  const match = tag.match(new RegExp(`\\b${name}="([^"]*)"`, 'i'));
  return match?.[1] === undefined ? undefined : decodeEntities(match[1]);
}

function decodeEntities(text: string): string {
  return text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

function isRemoval(attribute: string): boolean {
  if (attribute === 'max-age=0') return true;
  if (!attribute.startsWith('expires=')) return false;
  return Date.parse(attribute.slice('expires='.length)) <= Date.now();
}

function cookieHeader(cookies: Map<string, string>): string {
  return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}
