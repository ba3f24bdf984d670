/**
 * /v1/debtors: one debtor's open invoices, amount owed, next step (and why) and timeline; and
 * what the merchant may change: protection flags, legal stops, and the debtor's own choices
 * when they were made by phone or in the shop.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createApp, type AppEnv } from "../app";
import { requireApiKey } from "../auth";
import { debtorStub } from "../debtor/stub";
import { ApiError } from "../errors";
import { loadClock } from "../clock";
import { isIsoDate, zonedTimeToEpoch } from "../zoned-time";
import { unwrap } from "./rpc";
import { DebtorSchema, ProblemSchema } from "./schemas";
import { SelfServiceActionBodySchema, toAction } from "./self-service";

export const debtors = createApp();
debtors.use("*", requireApiKey);

const Params = z.object({ id: z.string().min(1).max(128).openapi({ param: { name: "id", in: "path" }, example: "cust-42" }) });
const problem = (description: string) => ({ content: { "application/problem+json": { schema: ProblemSchema } }, description });
const debtorOk = { content: { "application/json": { schema: DebtorSchema } }, description: "The debtor" };
const errors = { 401: problem("Missing or invalid API key"), 404: problem("No such debtor in your account"), 409: problem("Not possible in the debtor's state"), 422: problem("Invalid request") };
const json = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } }, required: true });

/** The stub of a debtor this tenant knows; unknown ids must not create (and bill) an empty DO. */
async function knownDebtor(c: Context<AppEnv>, id: string) {
  const tenant = c.get("tenant");
  const known = await c.env.DB.prepare("SELECT 1 AS one FROM invoice_index WHERE tenant_id = ? AND debtor_id = ? LIMIT 1").bind(tenant.id, id).first();
  if (!known) throw new ApiError("not_found", `No debtor ${id} in your account.`);
  return debtorStub(c.env, tenant.id, id);
}

debtors.openapi(
  createRoute({
    method: "get",
    path: "/{id}",
    summary: "Get a debtor",
    description: "Open invoices, the amount still owed, the next planned step with why it was chosen (segment, channel scores, limits applied), pauses, flags and a timeline.",
    request: { params: Params },
    responses: { 200: debtorOk, ...errors },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const stub = await knownDebtor(c, id);
    return c.json(unwrap(await stub.getDebtor(c.get("tenant").id)), 200);
  },
);

debtors.openapi(
  createRoute({
    method: "put",
    path: "/{id}/flags",
    summary: "Mark a debtor vulnerable or in hardship",
    description: "Protected debtors get the gentle ladder and are never escalated to costlier or more intrusive channels.",
    request: { params: Params, body: json(z.strictObject({ hardship: z.boolean().optional(), vulnerable: z.boolean().optional() }).openapi("DebtorFlags")) },
    responses: { 200: debtorOk, ...errors },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const stub = await knownDebtor(c, id);
    return c.json(unwrap(await stub.setFlags(c.get("tenant").id, c.req.valid("json"))), 200);
  },
);

const StopInput = z
  .strictObject({
    kind: z.enum(["debt_counselling", "breathing_space", "dispute"]).openapi({
      description: "debt_counselling: a debt counsellor's notice (stops collection for the policy's days, default 240 = 8 months, NVVK). breathing_space: a court breathing space (until its end date). dispute: until lifted.",
    }),
    until: z.string().refine(isIsoDate, { message: "Must be a date in YYYY-MM-DD form." }).optional().openapi({ description: "Last day of the stop (required for breathing_space)." }),
    reference: z.string().max(200).optional().openapi({ description: "The counsellor's or court's reference." }),
  })
  .refine((s) => s.kind !== "breathing_space" || s.until !== undefined, { message: "A breathing space needs its end date.", path: ["until"] })
  .openapi("StopInput");

debtors.openapi(
  createRoute({ method: "post", path: "/{id}/stops", summary: "Stop collection (debt counselling, breathing space, dispute)", request: { params: Params, body: json(StopInput) }, responses: { 200: debtorOk, ...errors } }),
  async (c) => {
    const { id } = c.req.valid("param");
    const input = c.req.valid("json");
    const stub = await knownDebtor(c, id);
    const view = unwrap(await stub.getDebtor(c.get("tenant").id));
    const clock = await loadClock(c.env);
    // A stop lasts to the end of its last day in the debtor's zone.
    const until = input.until ? zonedTimeToEpoch(input.until, 23, 59, view.time_zone) + 60_000 : null;
    if (until !== null && until <= clock.now()) throw new ApiError("validation_failed", "The end date has passed.", [{ field: "until", message: "Must be today or later." }]);
    return c.json(unwrap(await stub.addStop(c.get("tenant").id, input.kind, until, input.reference ? { reference: input.reference } : {})), 200);
  },
);

debtors.openapi(
  createRoute({
    method: "post",
    path: "/{id}/stops/lift",
    summary: "Lift stops (dispute resolved, counselling ended)",
    request: { params: Params, body: json(z.strictObject({ kinds: z.array(z.enum(["debt_counselling", "breathing_space", "dispute", "help", "already_paid", "payment_date", "arrangement"])).min(1) }).openapi("LiftStops")) },
    responses: { 200: debtorOk, ...errors },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const stub = await knownDebtor(c, id);
    return c.json(unwrap(await stub.liftStops(c.get("tenant").id, c.req.valid("json").kinds)), 200);
  },
);

const ActionResult = z
  .object({
    ok: z.literal(true),
    message: z.string(),
    until: z.string().nullable(),
    instalments: z.array(z.object({ due_date: z.string(), amount_cents: z.number().int() })).optional(),
  })
  .openapi("ActionResult");

debtors.openapi(
  createRoute({
    method: "post",
    path: "/{id}/actions",
    summary: "Record the debtor's choice made by phone or in person",
    description: "The same choices the debtor has in every message: already_paid, payment_date, arrangement, help, dispute.",
    request: { params: Params, body: json(SelfServiceActionBodySchema) },
    responses: { 200: { content: { "application/json": { schema: ActionResult } }, description: "Accepted" }, ...errors },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const stub = await knownDebtor(c, id);
    const result = await stub.selfServiceAction(c.get("tenant").id, toAction(c.req.valid("json")), "merchant");
    if (!result.ok) throw new ApiError(result.code, result.message, result.field ? [{ field: result.field, message: result.message }] : []);
    // snake_case like the rest of the API (the debtor's own page keeps its own shape).
    const { instalments, ...rest } = result;
    return c.json({ ...rest, ...(instalments ? { instalments: instalments.map((i) => ({ due_date: i.dueDate, amount_cents: i.amountCents })) } : {}) }, 200);
  },
);

debtors.openapi(
  createRoute({
    method: "put",
    path: "/{id}/channels/{channel}",
    summary: "Block or reopen a channel for this debtor",
    description: "opted_out: the person asked not to be contacted this way (kept until they opt in again). bounced / returned: the address does not work (reopened when a new address arrives).",
    request: {
      params: Params.extend({ channel: z.enum(["email", "letter", "sms", "call"]).openapi({ param: { name: "channel", in: "path" } }) }),
      body: json(z.strictObject({ blocked: z.boolean(), reason: z.enum(["opted_out", "bounced", "returned", "other"]).default("other") }).openapi("ChannelState")),
    },
    responses: { 200: debtorOk, ...errors },
  }),
  async (c) => {
    const { id, channel } = c.req.valid("param");
    const body = c.req.valid("json");
    const stub = await knownDebtor(c, id);
    return c.json(unwrap(await stub.setChannel(c.get("tenant").id, channel, body.blocked, body.reason)), 200);
  },
);
