/**
 * Where the e2e run puts its screenshots: a git-ignored folder, so `npm test` leaves the tree clean;
 * `ALTSIGHT_UPDATE_SCREENSHOTS=1 npm test` writes the README's committed ones in docs/screenshots instead.
 */
import { join } from 'node:path';
import { ROOT } from './servers';

export const SCREENSHOTS = process.env.ALTSIGHT_UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : join(ROOT, 'tests/e2e/artifacts/screenshots');
