/**
 * The ways a call to Oscar can fail, in words a merchant can read. A message never holds the API
 * key, an id or anything a shopper wrote; `permanent` tells a job whether retrying can help.
 */

export type OscarResource = "workspace" | "webhook" | "conversation" | "contact" | "bot" | "knowledge source" | "report" | "widget list" | "bot list" | "agent list";

export abstract class OscarError extends Error {
  abstract readonly permanent: boolean;
}

/** 401 or 403: the key is wrong, revoked or lacks access. Only the merchant can fix it. */
export class OscarKeyRejectedError extends OscarError {
  override readonly name = "OscarKeyRejectedError";
  readonly permanent = true;

  constructor(readonly status: number) {
    super("Oscar rejected the API key");
  }
}

/** 404: names the kind of thing that is missing, never its id. */
export class OscarNotFoundError extends OscarError {
  override readonly name = "OscarNotFoundError";
  readonly permanent = true;

  constructor(readonly resource: OscarResource) {
    super(`Oscar could not find the ${resource}`);
  }
}

/** Any other 4xx, an answer of an unexpected shape, or a request the app built wrongly: retrying cannot help. */
export class OscarRequestError extends OscarError {
  override readonly name = "OscarRequestError";
  readonly permanent = true;

  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

/** 429, 5xx, a dropped connection or a timeout that outlasted the client's retries: a later try may succeed. */
export class OscarTransientError extends OscarError {
  override readonly name = "OscarTransientError";
  readonly permanent = false;
  readonly attempts: number;
  readonly status?: number;
  /** How long Oscar asked us to wait (Retry-After), so a job can be delayed by at least that much. */
  readonly retryAfterMs?: number;

  constructor(message: string, details: { attempts: number; status?: number; retryAfterMs?: number }) {
    super(message);
    this.attempts = details.attempts;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }
}

export function isPermanentOscarError(error: unknown): boolean {
  return error instanceof OscarError && error.permanent;
}
