/**
 * The app's one zod import. `jitless` must be set before any schema is built: zod decides at
 * construction whether to compile parsers with `new Function`, which the CSP (no 'unsafe-eval') forbids.
 */
import { z } from 'zod/v4';

z.config({ jitless: true });

export { z };
