import { describe, expect, it } from 'vitest';
import { browserCommand } from '../src/browser.ts';

const installed =
  (...paths: string[]) =>
  (path: string) =>
    paths.includes(path);

describe('opening the login link', () => {
  it('opens none on a Linux machine without a display (ssh, containers, CI)', () => {
    const host = {
      env: { PATH: '/usr/bin' },
      platform: 'linux' as const,
      exists: installed('/usr/bin/xdg-open'),
    };
    expect(browserCommand(host)).toBeNull();
  });

  it('uses xdg-open on a Linux desktop, only when it is installed', () => {
    const env = { PATH: '/usr/bin', DISPLAY: ':0' };
    expect(browserCommand({ env, platform: 'linux', exists: installed('/usr/bin/xdg-open') })).toBe(
      'xdg-open',
    );
    expect(browserCommand({ env, platform: 'linux', exists: installed() })).toBeNull();
  });

  it('uses open on macOS and $BROWSER wherever it is set', () => {
    expect(
      browserCommand({
        env: { PATH: '/usr/bin' },
        platform: 'darwin',
        exists: installed('/usr/bin/open'),
      }),
    ).toBe('open');
    const env = { PATH: '/usr/bin', BROWSER: '/opt/firefox/firefox' };
    expect(
      browserCommand({ env, platform: 'linux', exists: installed('/opt/firefox/firefox') }),
    ).toBe('/opt/firefox/firefox');
  });
});
