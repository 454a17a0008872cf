/** Stable error codes. Each maps to one HTTP status and one exit code at the boundaries. */
export const errorCodes = {
  INVALID_ARGUMENT: { http: 400, exit: 2 },
  NOT_FOUND: { http: 404, exit: 3 },
  AMBIGUOUS: { http: 409, exit: 2 },
  CONFLICT: { http: 409, exit: 4 },
  UNAUTHORIZED: { http: 401, exit: 5 },
  FORBIDDEN: { http: 403, exit: 5 },
  PAYLOAD_TOO_LARGE: { http: 413, exit: 2 },
  UNSUPPORTED_FORMAT: { http: 415, exit: 2 },
  /** The write queue is full: retry after the time the answer gives. */
  BUSY: { http: 429, exit: 7 },
  /** The server is shutting down or cannot reach its store right now: retry later. */
  UNAVAILABLE: { http: 503, exit: 6 },
  STORE_UNAVAILABLE: { http: 503, exit: 6 },
  STORE_TOO_NEW: { http: 500, exit: 6 },
  /** Data failed validation (a training file that would not be accepted): nothing was written. */
  VALIDATION_FAILED: { http: 422, exit: 9 },
  /** This store adapter does not do that yet (see its capabilities): use the embedded store for it. */
  UNSUPPORTED: { http: 501, exit: 8 },
  INTERNAL: { http: 500, exit: 1 },
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** The one error type: a stable code and a message that says what to do. */
export class AgentlogError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AgentlogError';
    this.code = code;
    this.hint = options?.hint;
  }
}

export function httpStatusOf(error: unknown): number {
  return error instanceof AgentlogError ? errorCodes[error.code].http : 500;
}

export function exitCodeOf(error: unknown): number {
  return error instanceof AgentlogError ? errorCodes[error.code].exit : 1;
}
