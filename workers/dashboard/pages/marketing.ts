/**
 * The marketer's pages: templates (the editor with live preview and lint, templates.ts) and
 * experiments (list, create, results with a chart per variant, promote and stop, experiments.ts),
 * on the same functions as the API of issue 8.
 */
import { Hono } from "hono";
import type { DashEnv } from "../context";
import { experimentPages } from "./experiments";
import { templatePages } from "./templates";

export const marketingPages = new Hono<DashEnv>();
marketingPages.route("/", templatePages);
marketingPages.route("/", experimentPages);
