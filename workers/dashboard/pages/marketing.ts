/**
 * The marketer's pages: templates (the editor with live preview and lint) and experiments (list,
 * create, results with a chart per variant, promote and stop), on the API of issue 8.
 */
import { Hono } from "hono";
import type { DashEnv } from "../context";

export const marketingPages = new Hono<DashEnv>();
