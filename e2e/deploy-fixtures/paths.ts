/** Paths the deploy tests share: the repository root and the built PWA. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const webDist = join(repoRoot, 'apps/web/dist');
export const hephdBin = join(repoRoot, 'apps/hub/bin/hephd.js');
