/** Paths the deploy tests share: the repository root and the built PWA. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** The built PWA (npm run build); HEPH_E2E_WEB_ROOT serves another build instead. */
export const webDist = process.env.HEPH_E2E_WEB_ROOT ?? join(repoRoot, 'apps/web/dist');
export const hephdBin = join(repoRoot, 'apps/hub/bin/hephd.js');
