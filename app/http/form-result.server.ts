import { json } from "@remix-run/node";
import type { FieldErrors } from "../services/settings-validation.server";

/**
 * What an admin form's action answers: which form (`intent`), a sentence for the toast, and on
 * failure the sentence for each field. Failures answer 4xx, so Remix does not reload the page's data.
 */
export const formSucceeded = <T extends Record<string, unknown>>(intent: string, message: string, extra?: T) =>
  json({ intent, ok: true as const, message, errors: {} as FieldErrors, ...(extra as T) });

export const formFailed = (intent: string, errors: FieldErrors, message: string, status = 400) =>
  json({ intent, ok: false as const, message, errors }, { status });
