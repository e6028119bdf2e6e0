import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from './router.ts';

describe('routes', () => {
  it('reads the view and its parameter from the hash', () => {
    expect(parseRoute('')).toEqual({ view: 'next', param: null });
    expect(parseRoute('#/today')).toEqual({ view: 'today', param: null });
    expect(parseRoute(routeHref('task', '01J/X'))).toEqual({ view: 'task', param: '01J/X' });
  });
});
