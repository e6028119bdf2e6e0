import { describe, expect, it } from 'vitest';
import { type DeviceLoginHub, type DeviceLoginState, runDeviceLogin } from './device-login.ts';
import type { DeviceAuthorization, DevicePoll } from './hub-auth.ts';
import { TokenRefusal } from './pasted-token.ts';
import type { StoredTokens } from './token-store.ts';

const AUTHORIZATION: DeviceAuthorization = {
  deviceCode: 'dc+#"1',
  userCode: 'ABCD-EFGH',
  verificationUri: 'http://127.0.0.1:9/device',
  verificationUriComplete: 'http://127.0.0.1:9/device?user_code=ABCD-EFGH',
  expiresAt: 600_000,
  intervalMs: 5_000,
};

/** A login against scripted poll answers; the clock moves only by the waits. */
function scripted(polls: DevicePoll[], check?: () => Promise<{ subject: string }>) {
  let now = 0;
  const waits: number[] = [];
  const states: DeviceLoginState[] = [];
  const saved: StoredTokens[] = [];
  const polled: string[] = [];
  const hub: DeviceLoginHub = {
    startDeviceLogin: async () => AUTHORIZATION,
    pollDeviceLogin: async (deviceCode) => {
      polled.push(deviceCode);
      return polls.shift() ?? { ok: false, code: 'authorization_pending' };
    },
    checkAccessToken: check ?? (async () => ({ subject: 'owner' })),
  };
  const run = () =>
    runDeviceLogin({
      hub,
      save: async (tokens) => void saved.push(tokens),
      onState: (state) => states.push(state),
      now: () => now,
      wait: async (ms) => {
        waits.push(ms);
        now += ms;
      },
      signal: new AbortController().signal,
    });
  return { hub, run, waits, states, saved, polled };
}

const pending: DevicePoll = { ok: false, code: 'authorization_pending' };
const tokens: StoredTokens = { accessToken: 'a.b.c', refreshToken: 'r1' };

describe('runDeviceLogin', () => {
  it('polls at the interval until approved, checks, then stores the tokens', async () => {
    const login = scripted([pending, pending, { ok: true, tokens }]);
    const final = await login.run();

    expect(final).toEqual({ step: 'signed-in', subject: 'owner' });
    expect(login.waits).toEqual([5_000, 5_000, 5_000]);
    expect(login.polled).toEqual(['dc+#"1', 'dc+#"1', 'dc+#"1']);
    expect(login.saved).toEqual([tokens]);
    expect(login.states.map((state) => state.step)).toEqual([
      'starting',
      'waiting',
      'checking',
      'signed-in',
    ]);
  });

  it('shows the code and both links while waiting, never the device code', async () => {
    const login = scripted([{ ok: true, tokens }]);
    await login.run();
    const waiting = login.states.find((state) => state.step === 'waiting');
    expect(waiting).toMatchObject({
      userCode: 'ABCD-EFGH',
      verificationUriComplete: AUTHORIZATION.verificationUriComplete,
    });
    expect(JSON.stringify(waiting)).not.toContain('dc+');
  });

  it('adds 5 s to the interval on every slow_down', async () => {
    const slow: DevicePoll = { ok: false, code: 'slow_down' };
    const login = scripted([slow, pending, slow, { ok: true, tokens }]);
    await login.run();
    expect(login.waits).toEqual([5_000, 10_000, 10_000, 15_000]);
  });

  it('gives up with expired_token once the code’s lifetime is over', async () => {
    const login = scripted([]);
    const final = await login.run();
    expect(final).toEqual({ step: 'failed', failure: 'expired_token' });
    expect(login.polled.length).toBe(119);
    expect(login.saved).toEqual([]);
  });

  it.each(['expired_token', 'access_denied', 'issuer_unreachable', 'hub_unreachable'] as const)(
    'reports %s from a poll',
    async (code) => {
      const login = scripted([pending, { ok: false, code }]);
      expect(await login.run()).toEqual({ step: 'failed', failure: code });
    },
  );

  it('reports a failed start (no device flow) without polling', async () => {
    const login = scripted([]);
    login.hub.startDeviceLogin = async () => ({ ok: false, code: 'device_flow_unavailable' });
    expect(await login.run()).toEqual({ step: 'failed', failure: 'device_flow_unavailable' });
    expect(login.polled).toEqual([]);
  });

  it('does not store tokens for an account the hub refuses', async () => {
    const login = scripted([{ ok: true, tokens }], async () => {
      throw new TokenRefusal('forbidden', 'This account (eve) is not allowed on this hub.');
    });
    const final = await login.run();
    expect(final).toMatchObject({ step: 'failed', failure: 'forbidden' });
    expect(login.saved).toEqual([]);
  });

  it('stops polling when aborted and reports nothing more', async () => {
    const controller = new AbortController();
    const states: DeviceLoginState[] = [];
    let polls = 0;
    const final = await runDeviceLogin({
      hub: {
        startDeviceLogin: async () => AUTHORIZATION,
        pollDeviceLogin: async () => {
          polls += 1;
          controller.abort();
          return pending;
        },
        checkAccessToken: async () => ({ subject: 'owner' }),
      },
      save: async () => {},
      onState: (state) => states.push(state),
      now: () => 0,
      wait: async () => {},
      signal: controller.signal,
    });
    expect(polls).toBe(1);
    expect(final.step).toBe('failed');
    expect(states.map((state) => state.step)).toEqual(['starting', 'waiting']);
  });
});
