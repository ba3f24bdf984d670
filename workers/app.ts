/**
 * createApp(): every Hono app of the API is made here, so all share one validation hook and
 * one error handler, and every bad request gets the same problem+json body.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { ApiError, fieldProblems, onError } from "./errors";

export interface Tenant {
  id: string;
  name: string;
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
