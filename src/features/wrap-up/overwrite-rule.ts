/**
 * The one no-overwrite rule (reliability-checklist #22), shared by the single-write form
 * (`apply-wrapup.ts`) and the bulk runner (`bulk/model.ts`).
 *
 * What is on the communication now (`current`) may be written over when it is:
 * - nothing;
 * - a system code (`ININ-WRAP-UP-TIMEOUT`, `ININ-OUTBOUND-*`; `isSystemCode` of
 *   `@/lib/genesys/wrapup-rules.ts`, case-insensitive) and the user included system codes;
 * - exactly the wrap-up the user saw and agreed to replace (`seen`). Any other code appeared after
 *   the user looked (an agent wrapped up meanwhile) and is kept, even with "replace".
 */
import { isSystemCode } from '@/lib/genesys/wrapup-rules.ts';

export interface OverwriteChoice {
  /** The user chose to replace the wrap-up they saw. */
  replace: boolean;
  /** The user chose to write over system codes. */
  includeSystemCoded: boolean;
}

export function mayWriteOnto(current: string | null, seen: string | null, choice: OverwriteChoice): boolean {
  if (current === null) return true;
  if (isSystemCode(current)) return choice.includeSystemCoded;
  return choice.replace && current === seen;
}
