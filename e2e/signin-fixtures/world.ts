/**
 * A sign-in world for the browser tests: the real in-process OIDC issuer
 * (@heph/test-issuer, oidc-provider) and a real hephd that requires its
 * tokens, optionally only for listed subjects. `token()` mints a valid
 * access token for a subject, for asking the hub directly what it holds.
 *
 * HEPH_SIGNIN_WEB_ROOT points the hub at another PWA build (default
 * apps/web/dist, which the root test command builds first).
 */
import { startTestIssuer, type TestIssuer, type TestIssuerOptions } from '@heph/test-issuer';
import { expect } from '@playwright/test';
import { type HubProcess, startHub } from '../fixtures/hub.ts';
import { WEB_DIST } from '../fixtures/paths.ts';

export const OWNER = 'owner@heph.test';
export const AUDIENCE = 'heph';

export interface WorldOptions {
  issuer?: Omit<TestIssuerOptions, 'audience'>;
  /** Subjects let in (--authorized-sub); empty lets every valid token in. */
  authorizedSubs?: string[];
}

export interface SignInWorld {
  issuer: TestIssuer;
  hub: HubProcess;
  /** A valid access token for `sub` (the owner by default), straight from the issuer's key. */
  token(sub?: string): Promise<string>;
  /** Calls one /rpc method on the hub as the owner. */
  rpc<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Titles of the hub's outstanding tasks. */
  hubTitles(): Promise<string[]>;
  /** Waits until the hub holds outstanding tasks with all these titles. */
  expectOnHub(...titles: string[]): Promise<void>;
  /** How many refresh-token grants the issuer has answered so far. */
  refreshCount(): number;
  /** Takes the issuer away (the hub then cannot reach it). */
  stopIssuer(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startSignInWorld(options: WorldOptions = {}): Promise<SignInWorld> {
  const issuer = await startTestIssuer({ ...options.issuer, audience: AUDIENCE });
  const args = ['--oidc-issuer', issuer.issuer, '--oidc-audience', AUDIENCE];
  for (const sub of options.authorizedSubs ?? []) args.push('--authorized-sub', sub);

  let hub: HubProcess;
  try {
    hub = await startHub({ webRoot: process.env.HEPH_SIGNIN_WEB_ROOT ?? WEB_DIST, args });
  } catch (error) {
    await issuer.stop();
    throw error;
  }

  let issuerRunning = true;
  const stopIssuer = async () => {
    if (issuerRunning) await issuer.stop();
    issuerRunning = false;
  };
  const token = (sub = OWNER) => issuer.signToken({ sub });
  async function rpc<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(`${hub.url}/rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token()}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    const body = (await response.json()) as { result?: T; error?: { message: string } };
    if (body.error) throw new Error(`rpc ${method}: ${body.error.message}`);
    return body.result as T;
  }

  async function hubTitles(): Promise<string[]> {
    const result = await rpc<{ tasks: Array<{ title: string }> }>('task.list', {});
    return result.tasks.map((task) => task.title);
  }

  return {
    issuer,
    hub,
    token,
    rpc,
    hubTitles,
    async expectOnHub(...titles) {
      await expect.poll(hubTitles).toEqual(expect.arrayContaining(titles));
    },
    refreshCount: () =>
      issuer.received.filter((entry) => entry.form.grant_type === 'refresh_token').length,
    stopIssuer,
    async dispose() {
      await hub.dispose();
      await stopIssuer();
    },
  };
}
