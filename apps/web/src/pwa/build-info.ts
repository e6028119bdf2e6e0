/** The running build, stamped in by vite.config.ts. */
declare const __HEPH_VERSION__: string;
declare const __HEPH_BUILD_ID__: string;

export const BUILD = { version: __HEPH_VERSION__, buildId: __HEPH_BUILD_ID__ } as const;
