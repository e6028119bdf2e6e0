/** The sign-in `test`: the e2e fixtures plus a fresh issuer and hub per test (`world`). */
import { test as base } from '../fixtures/test.ts';
import { type SignInWorld, startSignInWorld, type WorldOptions } from './world.ts';

export const test = base.extend<{ worldOptions: WorldOptions; world: SignInWorld }>({
  worldOptions: [{}, { option: true }],
  world: async ({ worldOptions }, use) => {
    const world = await startSignInWorld(worldOptions);
    try {
      await use(world);
    } finally {
      await world.dispose();
    }
  },
});

export { expect } from '@playwright/test';
/** The viewport of the sign-in screenshots (a 6.1-inch phone). */
export const PHONE_390 = { width: 390, height: 844 };
