/**
 * Later orders of a customer, for the chain KPIs (seed 004: collection value counts loyalty and
 * repeat purchases, not only principal and lead time): the shop reports orders after a reminder
 * cycle, and the dashboard shows who ordered again within 90 and 180 days, and that revenue.
 *
 * - `POST /v1/debtors/{id}/orders`: one order of one debtor.
 * - `POST /v1/orders`: a batch of up to 500 orders of many debtors.
 *
 * The order id makes a report idempotent: the same order again changes nothing; the same id with
 * another date or amount is refused. The debtor's object records it (`order.reported`); D1 counts
 * it for the latest cycle of the debtor that ended before the order's date.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, eq, sql } from "drizzle-orm";
import { invoiceIndex } from "../../schema/d1";
import { createApp } from "../app";
import { requireApiKey } from "../auth";
import type { OrderInput, OrderResult } from "../debtor/cycle";
import { db } from "../db";
import { debtorStub } from "../debtor/stub";
import { ApiError } from "../errors";
import { isIsoDate } from "../zoned-time";
import { unwrap } from "./rpc";
import { ProblemSchema } from "./schemas";

export const orders = createApp();
// Mounted at /v1: only its own paths (a "*" here would also guard /v1/banner, which takes a banner token).
orders.use("/debtors/*", requireApiKey);
orders.use("/orders", requireApiKey);

/** The largest batch: every order wakes its debtor's object. */
export const MAX_ORDER_BATCH = 500;
const CONCURRENCY = 8;

const OrderFields = {
  order_id: z.string().regex(/^[A-Za-z0-9._:/-]{1,128}$/, { message: "1-128 letters, digits and . _ : / -" }).openapi({ example: "ORD-2093" }),
  date: z.string().refine(isIsoDate, { message: "Must be a date in YYYY-MM-DD form." }).openapi({ example: "2026-12-14" }),
  amount_cents: z.number().int().min(0).max(100_000_000).openapi({ example: 3495 }),
};
const OrderBody = z.strictObject(OrderFields).openapi("Order");
const BatchBody = z
  .strictObject({ orders: z.array(z.strictObject({ debtor_id: z.string().min(1).max(128), ...OrderFields })).min(1).max(MAX_ORDER_BATCH) })
  .openapi("OrderBatch");
const ResultSchema = z
  .object({
    order_id: z.string(),
    debtor_id: z.string(),
    status: z.enum(["recorded", "duplicate", "conflict", "unknown_debtor"]).openapi({
      description: "recorded: new; duplicate: reported before with the same date and amount (nothing changed); conflict: reported before with another date or amount; unknown_debtor: no debtor with this id in your account.",
    }),
  })
  .openapi("OrderResult");
const problem = (description: string) => ({ content: { "application/problem+json": { schema: ProblemSchema } }, description });
const errors = { 401: problem("Missing or invalid API key"), 422: problem("Invalid request") };

/** The debtors of this tenant among `ids` (unknown ids must not create and bill an empty object). */
async function knownDebtors(d1: D1Database, tenantId: string, ids: string[]): Promise<Set<string>> {
  const i = invoiceIndex;
  // The ids travel as one JSON parameter: a batch of orders may name more than D1's 100 parameters.
  const results = await db(d1)
    .selectDistinct({ debtorId: i.debtorId })
    .from(i)
    .where(and(eq(i.tenantId, tenantId), sql`${i.debtorId} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`))
    .all();
  return new Set(results.map((r) => r.debtorId));
}

orders.openapi(
  createRoute({
    method: "post",
    path: "/debtors/{id}/orders",
    summary: "Report a later order of a customer",
    description: "For the chain KPIs: who ordered again within 90 and 180 days after a reminder cycle ended. Idempotent by `order_id`.",
    request: {
      params: z.object({ id: z.string().min(1).max(128).openapi({ param: { name: "id", in: "path" }, example: "cust-42" }) }),
      body: { content: { "application/json": { schema: OrderBody } }, required: true },
    },
    responses: {
      201: { content: { "application/json": { schema: ResultSchema } }, description: "Recorded" },
      200: { content: { "application/json": { schema: ResultSchema } }, description: "Reported before with the same date and amount" },
      404: problem("No such debtor in your account"),
      409: problem("Reported before with another date or amount"),
      ...errors,
    },
  }),
  async (c) => {
    const tenantId = c.get("tenant").id;
    const { id } = c.req.valid("param");
    const order = c.req.valid("json");
    if (!(await knownDebtors(c.env.DB, tenantId, [id])).has(id)) throw new ApiError("not_found", `No debtor ${id} in your account.`);
    const [result] = unwrap(await debtorStub(c.env, tenantId, id).reportOrders(tenantId, [order]));
    if (!result) throw new ApiError("internal", "The order was not recorded.");
    if (result.status === "conflict") throw new ApiError("conflict", result.message, [{ field: "order_id", message: result.message }]);
    return c.json({ order_id: order.order_id, debtor_id: id, status: result.status }, result.status === "recorded" ? 201 : 200);
  },
);

orders.openapi(
  createRoute({
    method: "post",
    path: "/orders",
    summary: "Report later orders of many customers",
    description: `Up to ${MAX_ORDER_BATCH} orders; each gets its own status. Idempotent by \`order_id\`: send a failed batch again as it was.`,
    request: { body: { content: { "application/json": { schema: BatchBody } }, required: true } },
    responses: { 200: { content: { "application/json": { schema: z.object({ results: z.array(ResultSchema) }) } }, description: "One result per order, in order" }, ...errors },
  }),
  async (c) => {
    const tenantId = c.get("tenant").id;
    const { orders: list } = c.req.valid("json");
    // Positions in the batch per debtor, so every order gets its own answer (a repeat in the batch: duplicate).
    const byDebtor = new Map<string, number[]>();
    list.forEach((o, i) => byDebtor.set(o.debtor_id, [...(byDebtor.get(o.debtor_id) ?? []), i]));
    const known = await knownDebtors(c.env.DB, tenantId, [...byDebtor.keys()]);
    const status: (OrderResult["status"] | "unknown_debtor")[] = list.map(() => "unknown_debtor");
    const debtors = [...byDebtor.keys()].filter((id) => known.has(id));
    let next = 0;
    // A few objects at a time: a batch must not open hundreds of connections at once.
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, debtors.length) }, async () => {
        while (next < debtors.length) {
          const id = debtors[next++] as string;
          const positions = byDebtor.get(id) ?? [];
          const input: OrderInput[] = positions.map((i) => {
            const o = list[i] as (typeof list)[number];
            return { order_id: o.order_id, date: o.date, amount_cents: o.amount_cents };
          });
          const results = unwrap(await debtorStub(c.env, tenantId, id).reportOrders(tenantId, input));
          results.forEach((r, k) => (status[positions[k] as number] = r.status));
        }
      }),
    );
    const results = list.map((o, i) => ({ order_id: o.order_id, debtor_id: o.debtor_id, status: status[i] ?? "unknown_debtor" }));
    return c.json({ results }, 200);
  },
);
