/**
 * createApp(): every Hono app of the API is made here, so all share one validation hook and
 * one error handler, and every bad request gets the same problem+json body.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { ApiError, fieldProblems, onError } from "./errors";
import type { Scope } from "./scopes";

/** The environment an API key belongs to (workers/accounts.ts): every query is scoped by its id. */
export interface Tenant {
  id: string;
  name: string;
  /** "test": a test environment, always sandboxed; "live": the account's live environment. */
  mode: "live" | "test";
  /** The account both environments belong to (the live environment's id). */
  accountId: string;
  /** The API key of this request. */
  keyId: string;
  /** The key's scopes; null is full access. */
  scopes: Scope[] | null;
}

export type AppEnv = {
  Bindings: Env;
  Variables: { tenant: Tenant };
};

/** A new OpenAPIHono app with Kindly's validation hook and error handler. */
export function createApp(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const where = result.target === "json" ? "" : result.target;
        throw new ApiError("validation_failed", "The request is not valid; see errors for each field.", fieldProblems(result.error, where));
      }
    },
  });
  app.onError(onError);
  return app;
}
