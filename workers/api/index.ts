/** The whole HTTP API: sub-apps per resource, the OpenAPI document and its reference page. */
import { Scalar } from "@scalar/hono-api-reference";
import { bodyLimit } from "hono/body-limit";
import { createApp } from "../app";
import { debtorStub } from "../debtor/stub";
import { ApiError, problem } from "../errors";
import { account } from "./account";
import { openApiDocument } from "./openapi";
import { admin } from "./admin";
import { apiKeys } from "./api-keys";
import { settings } from "./settings";
import { callTasks } from "./call-tasks";
import { debtorPrivacy } from "./debtor-privacy";
import { banner } from "./banner";
import { debtors } from "./debtors";
import { dev } from "./dev";
import { invoices } from "./invoices";
import { payments } from "./payments";
import { policy } from "./policy";
import { orders } from "./orders";
import { users } from "./users";
import { benchDashboard } from "./bench-dashboard";
import { previews } from "./previews";
import { sandboxApi, sandboxPages } from "./sandbox";
import { webhookDeliveries } from "./webhook-deliveries";
import { webhookEndpoints } from "./webhook-endpoints";
import { webhooks } from "./webhooks";
import { selfService } from "./self-service";
import { exchangeLinkForSession, openShortLink } from "./debtor-session";
import { dashboard } from "../dashboard/app";

/** Largest request body accepted (an invoice is well under 4 KB). */
const MAX_BODY_BYTES = 64 * 1024;

export const api = createApp();

api.use(
  "*",
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError("payload_too_large", `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);
    },
  }),
);

api.openAPIRegistry.registerComponent("securitySchemes", "apiKey", { type: "http", scheme: "bearer", description: "Your secret API key, kind_live_... or kind_test_..." });

api.openAPIRegistry.registerComponent("securitySchemes", "adminKey", { type: "http", scheme: "bearer", description: "The platform's admin key (the ADMIN_API_KEY secret): onboarding and offboarding accounts." });
api.route("/v1/admin", admin);
api.route("/v1/api-keys", apiKeys);
api.route("/v1/settings", settings);
api.route("/v1/call-tasks", callTasks);
api.route("/v1/account", account);
api.route("/v1", banner);
api.route("/v1/invoices", invoices);
api.route("/v1/payments", payments);
api.route("/v1/debtors", debtors);
api.route("/v1/debtors", debtorPrivacy);
api.route("/v1/policy", policy);
api.route("/v1", orders);
api.route("/v1/users", users);
api.route("/v1/sandbox", sandboxApi);
api.route("/v1/webhook-endpoints", webhookEndpoints);
api.route("/v1/webhook-deliveries", webhookDeliveries);
api.use("/d/:token", exchangeLinkForSession);
api.route("/d", selfService);
api.route("/webhooks", webhooks);
api.route("/dev", dev);
api.route("/sandbox/preview", previews);
api.route("/sandbox", sandboxPages);
// The dashboard for marketers and credit managers (HTML pages, sessions, its own error pages).
api.route("/", dashboard);

// The document platforms code against (openapi.ts); production leaves out the /dev routes.
api.get("/openapi.json", (c) => c.json(openApiDocument(api, c.env)));
// The reference page loads its script from this Worker's static assets, never a CDN: it works offline.
api.get("/docs", Scalar({ url: "/openapi.json", pageTitle: "Kindly API reference", cdn: "/docs/scalar.js" }));
api.get("/docs/scalar.js", (c) => c.env.ASSETS.fetch(c.req.raw));
api.get("/", (c) => c.json({ name: "Kindly", docs: "/docs", openapi: "/openapi.json" }));

// Short links printed on letters and sent by SMS, and signed links in emails, become a session
// cookie and a redirect to /d: no token in the address bar or a redirect (debtor-session.ts).
api.get("/l/:code", openShortLink);

api.get("/bench/do-read/:name", async (c) => {
  if (c.env.KINDLY_BENCH !== "on") return problem(c, "not_found", "Not found.");
  return c.json({ value: await debtorStub(c.env, "bench:", c.req.param("name")).benchRead() });
});

// Benchmark baseline (bench/invoices.mjs): a bare route that writes one row to a Durable Object.
// Off unless KINDLY_BENCH=on, so it never exists in a normal deployment.
api.post("/bench/do-write/:name", async (c) => {
  if (c.env.KINDLY_BENCH !== "on") return problem(c, "not_found", "Not found.");
  // "bench:" cannot be a tenant id (tenant ids are [a-z0-9_-]), so no tenant's debtors are touched.
  await debtorStub(c.env, "bench:", c.req.param("name")).benchWrite();
  return c.json({ ok: true });
});

// Benchmark routes of bench/dashboard.mjs (404 unless KINDLY_BENCH=on).
api.route("/bench/dashboard", benchDashboard);

api.notFound((c) => problem(c, "not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`));
