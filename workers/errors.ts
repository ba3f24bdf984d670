/**
 * One error type for the whole API, answered as RFC 9457 problem details.
 * Unknown errors are logged and answered with a generic 500 that leaks nothing.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  open_invoices: 409,
  idempotency_key_in_use: 409,
  idempotency_key_reused: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  invalid_state: 409,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  not_configured: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** A field-level problem, named by its JSON pointer-ish dotted path. */
export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(message);
  }
  get status(): ContentfulStatusCode {
    return ERROR_STATUS[this.code];
  }
}

const TITLES: Record<ErrorCode, string> = {
  bad_request: "Bad request",
  unauthorized: "Unauthorized",
  forbidden: "Forbidden",
  not_found: "Not found",
  conflict: "Conflict",
  open_invoices: "The debtor has open invoices",
  idempotency_key_in_use: "Idempotency key in use",
  idempotency_key_reused: "Idempotency key reused with a different request",
  payload_too_large: "Payload too large",
  unsupported_media_type: "Unsupported media type",
  validation_failed: "Validation failed",
  invalid_state: "Invalid state",
  rate_limited: "Too many requests",
  internal: "Internal error",
  unavailable: "Temporarily unavailable",
  not_configured: "Not configured",
};

/** Body of an RFC 9457 problem+json answer. */
export function problemBody(code: ErrorCode, detail: string, instance: string, errors: FieldProblem[] = []) {
  return {
    type: `https://kindly.dev/problems/${code.replaceAll("_", "-")}`,
    title: TITLES[code],
    status: ERROR_STATUS[code],
    code,
    detail,
    instance,
    ...(errors.length > 0 ? { errors } : {}),
  };
}

/** Answers a problem+json response for the given error code. */
export function problem(c: Context, code: ErrorCode, detail: string, errors: FieldProblem[] = []): Response {
  return c.body(JSON.stringify(problemBody(code, detail, new URL(c.req.url).pathname, errors)), ERROR_STATUS[code], {
    "content-type": "application/problem+json",
  });
}

/** Turns a zod error into named field problems. */
export function fieldProblems(error: ZodError, prefix = ""): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join(".") || "(body)",
    message: issue.message,
  }));
}

/**
 * A deployment is missing a secret or setting that this request needs. Answered 503 naming the
 * setting (never the secret's value), so an operator sees what to set; never a bare 500.
 */
export class ConfigurationError extends Error {
  constructor(setting: string, what: string) {
    super(`This deployment has no ${setting}: ${what} Set it with 'wrangler secret put ${setting}'.`);
  }
}

/** Seconds a client should wait after a storage outage. */
export const STORAGE_RETRY_AFTER_SECONDS = 5;

/**
 * Whether an error is D1 (or a Durable Object's storage) being unreachable rather than a bug:
 * D1 reports outages as "D1_ERROR: Network connection lost", "D1 DB is overloaded", "... reset",
 * "... exceeded timeout", "... transient issue"; a SQL mistake carries SQLITE_ and stays a 500.
 */
export function isStorageOutage(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  if (!/\bD1\b|D1_|storage/i.test(message) || /SQLITE_(?!BUSY)/.test(message)) return false;
  return /network connection lost|overloaded|reset|timeout|timed out|transient|unavailable|internal error|busy|connection/i.test(message);
}

/** The one error handler: every thrown error becomes a problem+json response. */
export function onError(err: Error, c: Context): Response {
  if (err instanceof ApiError) return problem(c, err.code, err.message, err.errors);
  if (err instanceof HTTPException && err.status < 500) {
    const status = err.status;
    if (status === 401) return problem(c, "unauthorized", err.message || "Missing or invalid API key.");
    if (status === 404) return problem(c, "not_found", "Not found.");
    if (status === 413) return problem(c, "payload_too_large", err.message || "The request body is too large.");
    if (status === 415) return problem(c, "unsupported_media_type", "Send the body as application/json.");
    return problem(c, "bad_request", err.message || "The request could not be read.");
  }
  // A Durable Object that is overloaded or restarting says so; the client should retry later.
  const flags = err as Error & { overloaded?: boolean; retryable?: boolean };
  if (flags.overloaded || flags.retryable) {
    c.header("Retry-After", "1");
    return problem(c, "unavailable", "Busy right now. Retry in a moment with the same Idempotency-Key.");
  }
  if (err instanceof ConfigurationError) {
    console.error("configuration error", err.message);
    return problem(c, "not_configured", err.message);
  }
  if (isStorageOutage(err)) {
    console.error("storage unavailable", err);
    c.header("Retry-After", String(STORAGE_RETRY_AFTER_SECONDS));
    return problem(c, "unavailable", "Our database is briefly unavailable. Retry in a few seconds with the same Idempotency-Key.");
  }
  console.error("unhandled error", err);
  return problem(c, "internal", "Something went wrong on our side. Retry with the same Idempotency-Key.");
}
