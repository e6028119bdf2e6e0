/**
 * Hash routing in a few lines: `#/today`, `#/task/<id>`. The hash keeps the
 * service worker's navigation fallback simple (every route is `/`), and the
 * query string stays free for the shortcuts and the share target.
 */
import { useEffect, useState } from 'react';

export interface Route {
  /** The view id: 'next', 'today', 'search', 'task', … */
  view: string;
  /** The rest of the path, e.g. the task id for `task`. */
  param: string | null;
}

export function parseRoute(hash: string): Route {
  const [view, ...rest] = hash.replace(/^#\/?/, '').split('/');
  return {
    view: view || 'next',
    param: rest.length > 0 ? decodeURIComponent(rest.join('/')) : null,
  };
}

export function routeHref(view: string, param?: string): string {
  return param === undefined ? `#/${view}` : `#/${view}/${encodeURIComponent(param)}`;
}

export function navigate(view: string, param?: string): void {
  window.location.hash = routeHref(view, param);
}

export function openTask(id: string): void {
  navigate('task', id);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
