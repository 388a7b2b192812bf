/**
 * The form's rules (checklist #11): refused in the form, before any request.
 */
import { z } from '@/lib/zod.ts';

/**
 * Longest note the app lets through. [L] The platform's limit is not documented; the simulated org
 * refuses notes over 1000 characters by default (`--notes-max-length`). If the platform is stricter,
 * its 400 is shown with its message; if it is laxer, nothing is lost but length.
 */
export const NOTES_MAX_LENGTH = 1000;

/** Messages are i18n keys under `wrapup:validation`. */
export type ValidationKey = 'communicationRequired' | 'codeRequired' | 'codeNotAllowed' | 'notesTooLong' | 'replaceRequired';

export interface WrapupFormContext {
  /** Ids from the participant's `.../wrapupcodes` list. */
  allowedCodeIds: ReadonlySet<string>;
  /** The chosen communication already has a wrap-up. */
  hasExisting: boolean;
}

export function wrapupFormSchema(ctx: WrapupFormContext) {
  return z
    .object({
      communicationId: z.string().min(1, 'communicationRequired' satisfies ValidationKey),
      codeId: z
        .string()
        .min(1, 'codeRequired' satisfies ValidationKey)
        .refine((id) => ctx.allowedCodeIds.has(id), 'codeNotAllowed' satisfies ValidationKey),
      notes: z.string().max(NOTES_MAX_LENGTH, 'notesTooLong' satisfies ValidationKey),
      replace: z.boolean(),
    })
    .refine((v) => !ctx.hasExisting || v.replace, { path: ['replace'], message: 'replaceRequired' satisfies ValidationKey });
}

export type WrapupFormValues = z.infer<ReturnType<typeof wrapupFormSchema>>;
