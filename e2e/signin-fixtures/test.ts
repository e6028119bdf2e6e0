/**
 * The sign-in `test`: the e2e fixtures plus a fresh issuer and hub per test
 * (`world`) and signed-out spokes on that hub (`spokes`).
 */
import type { ProfileOptions } from '../fixtures/browser.ts';
import { test as base } from '../fixtures/test.ts';
import { SignInSpoke } from './spoke.ts';
import { type SignInWorld, startSignInWorld, type WorldOptions } from './world.ts';

export const test = base.extend<{
  worldOptions: WorldOptions;
  world: SignInWorld;
  spokes: { open(options?: ProfileOptions): Promise<SignInSpoke> };
}>({
  worldOptions: [{}, { option: true }],
  world: async ({ worldOptions }, use) => {
    const world = await startSignInWorld(worldOptions);
    try {
      await use(world);
    } finally {
      await world.dispose();
    }
  },
  spokes: async ({ world, profiles }, use) => {
    await use({ open: (options) => SignInSpoke.open(profiles, world, options) });
  },
});

export { expect } from '@playwright/test';
/** The viewport of the sign-in screenshots (a 6.1-inch phone). */
export const PHONE_390 = { width: 390, height: 844 };
