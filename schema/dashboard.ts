/**
 * The dashboard's tables (re-exported from schema/d1.ts): its users, sign-in links, sessions and
 * audit log; the chain-KPI facts (cycles, later orders, NPS answers); and the rollups the
 * dashboard reads. Rollups are kept up to date as outcome events land in D1, in the same batch
 * (workers/dashboard/rollups.ts), so no dashboard query scans the events. Times are clock
 * milliseconds (the development clock in development); weeks are the Monday of the week in
 * Europe/Amsterdam, as "YYYY-MM-DD".
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** A person who uses the dashboard of one tenant, with one role there. */
export const dashboardUsers = sqliteTable(
  "dashboard_users",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    /** Lowercased; one user per address per tenant. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: ["owner", "credit_manager", "marketer", "viewer"] }).notNull(),
    locale: text("locale", { enum: ["nl", "en"] }).notNull().default("nl"),
    createdAt: integer("created_at").notNull(),
    /** The user who created this one (null: created through the API). */
    createdBy: text("created_by"),
    disabledAt: integer("disabled_at"),
  },
  (t) => [uniqueIndex("dashboard_users_email").on(t.tenantId, t.email), index("dashboard_users_by_email").on(t.email)],
);

/** One-time sign-in links: only the SHA-256 of the token is kept; used once, then never again. */
export const signinLinks = sqliteTable(
  "signin_links",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id").notNull(),
    tenantId: text("tenant_id").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("signin_links_user").on(t.userId, t.createdAt)],
);

/** Dashboard sessions: the cookie holds a random id, D1 only its SHA-256; the CSRF token is per session. */
export const dashboardSessions = sqliteTable(
  "dashboard_sessions",
  {
    idHash: text("id_hash").primaryKey(),
    userId: text("user_id").notNull(),
    tenantId: text("tenant_id").notNull(),
    csrfToken: text("csrf_token").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("dashboard_sessions_user").on(t.userId)],
);

/** Every view of a debtor's personal data in the dashboard, and every change of users and roles. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
    action: text("action").notNull(),
    /** The debtor (or user) the action was about. */
    subject: text("subject"),
    at: integer("at").notNull(),
    detail: text("detail").notNull().default("{}"),
  },
  (t) => [index("audit_log_tenant_time").on(t.tenantId, t.at)],
);

/**
 * One row per ended reminder cycle of a debtor (from its `cycle.ended` event): what it recovered,
 * cost and took, and who it was for (segment, ladder, policy version, experiment variant). A later
 * order counts for the latest cycle that ended before it (workers/dashboard/rollups.ts).
 */
export const debtorCycles = sqliteTable(
  "debtor_cycles",
  {
    tenantId: text("tenant_id").notNull(),
    debtorId: text("debtor_id").notNull(),
    cycle: integer("cycle").notNull(),
    endedAt: integer("ended_at").notNull(),
    endDate: text("end_date").notNull(),
    endWeek: text("end_week").notNull(),
    outcome: text("outcome").notNull(),
    segment: text("segment").notNull(),
    ladder: text("ladder").notNull(),
    policyVersion: integer("policy_version").notNull(),
    /** "experiment:variant" of the first message the debtor saw in an experiment, else "none". */
    variant: text("variant").notNull(),
    principalCents: integer("principal_cents").notNull(),
    recoveredCents: integer("recovered_cents").notNull(),
    costsCents: integer("costs_cents").notNull(),
    leadDays: integer("lead_days").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.debtorId, t.cycle] })],
);

/** Later orders the shop reported (`POST /v1/debtors/{id}/orders`); the order id makes a report idempotent. */
export const debtorOrders = sqliteTable(
  "debtor_orders",
  {
    tenantId: text("tenant_id").notNull(),
    orderId: text("order_id").notNull(),
    debtorId: text("debtor_id").notNull(),
    orderDate: text("order_date").notNull(),
    amountCents: integer("amount_cents").notNull(),
    reportedAt: integer("reported_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.orderId] }), index("debtor_orders_debtor").on(t.tenantId, t.debtorId)],
);

/** NPS answers after a cycle that ended well: one per debtor and cycle. */
export const npsResponses = sqliteTable(
  "nps_responses",
  {
    tenantId: text("tenant_id").notNull(),
    debtorId: text("debtor_id").notNull(),
    cycle: integer("cycle").notNull(),
    score: integer("score").notNull(),
    comment: text("comment"),
    segment: text("segment").notNull(),
    ladder: text("ladder").notNull(),
    policyVersion: integer("policy_version").notNull(),
    variant: text("variant").notNull(),
    answeredAt: integer("answered_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.debtorId, t.cycle] }), index("nps_responses_time").on(t.tenantId, t.answeredAt)],
);

/** The open amount now: registered minus paid minus cancelled, per tenant. */
export const rollupTenant = sqliteTable("rollup_tenant", {
  tenantId: text("tenant_id").primaryKey(),
  openCents: integer("open_cents").notNull().default(0),
  openInvoices: integer("open_invoices").notNull().default(0),
});

/** What happened per week (the week of the event). */
export const rollupWeek = sqliteTable(
  "rollup_week",
  {
    tenantId: text("tenant_id").notNull(),
    week: text("week").notNull(),
    invoicesRegistered: integer("invoices_registered").notNull().default(0),
    registeredCents: integer("registered_cents").notNull().default(0),
    invoicesPaid: integer("invoices_paid").notNull().default(0),
    paidCents: integer("paid_cents").notNull().default(0),
    invoicesCancelled: integer("invoices_cancelled").notNull().default(0),
    messagesSent: integer("messages_sent").notNull().default(0),
    costsCents: integer("costs_cents").notNull().default(0),
    handovers: integer("handovers").notNull().default(0),
    helpRequests: integer("help_requests").notNull().default(0),
    complaints: integer("complaints").notNull().default(0),
    disputes: integer("disputes").notNull().default(0),
    alreadyPaid: integer("already_paid").notNull().default(0),
    arrangements: integer("arrangements").notNull().default(0),
    npsPromoters: integer("nps_promoters").notNull().default(0),
    npsPassives: integer("nps_passives").notNull().default(0),
    npsDetractors: integer("nps_detractors").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.week] })],
);

/** Invoices by the week they fell due: how many, paid, cancelled, handed over. */
export const rollupCohort = sqliteTable(
  "rollup_cohort",
  {
    tenantId: text("tenant_id").notNull(),
    dueWeek: text("due_week").notNull(),
    invoices: integer("invoices").notNull().default(0),
    paid: integer("paid").notNull().default(0),
    cancelled: integer("cancelled").notNull().default(0),
    handedOver: integer("handed_over").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.dueWeek] })],
);

/** Days from due date to payment per due-week cohort (a histogram, -30..180): the median is read from it. */
export const rollupCohortDays = sqliteTable(
  "rollup_cohort_days",
  {
    tenantId: text("tenant_id").notNull(),
    dueWeek: text("due_week").notNull(),
    days: integer("days").notNull(),
    n: integer("n").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.dueWeek, t.days] })],
);

/** Messages per week of the message, segment, ladder step and channel: the funnel and the channel mix. */
export const rollupFunnel = sqliteTable(
  "rollup_funnel",
  {
    tenantId: text("tenant_id").notNull(),
    week: text("week").notNull(),
    segment: text("segment").notNull(),
    step: text("step").notNull(),
    channel: text("channel").notNull(),
    sent: integer("sent").notNull().default(0),
    delivered: integer("delivered").notNull().default(0),
    opened: integer("opened").notNull().default(0),
    clicked: integer("clicked").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    costCents: integer("cost_cents").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.week, t.segment, t.step, t.channel] })],
);

/** Payments in full (or arrangements) after a step, by the days since that step went out (0..60). */
export const rollupPaidAfter = sqliteTable(
  "rollup_paid_after",
  {
    tenantId: text("tenant_id").notNull(),
    week: text("week").notNull(),
    segment: text("segment").notNull(),
    step: text("step").notNull(),
    channel: text("channel").notNull(),
    days: integer("days").notNull(),
    n: integer("n").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.week, t.segment, t.step, t.channel, t.days] })],
);

/**
 * Ended cycles per grouping (dim "all", "segment", "ladder", "policy", "variant") and the week they
 * ended: collection value (principal, recovered, costs, lead time), NPS, and customers kept.
 */
export const rollupCycles = sqliteTable(
  "rollup_cycles",
  {
    tenantId: text("tenant_id").notNull(),
    dim: text("dim").notNull(),
    key: text("key").notNull(),
    endWeek: text("end_week").notNull(),
    cycles: integer("cycles").notNull().default(0),
    endedWell: integer("ended_well").notNull().default(0),
    principalCents: integer("principal_cents").notNull().default(0),
    recoveredCents: integer("recovered_cents").notNull().default(0),
    costsCents: integer("costs_cents").notNull().default(0),
    leadDays: integer("lead_days").notNull().default(0),
    reordered90: integer("reordered_90").notNull().default(0),
    reordered180: integer("reordered_180").notNull().default(0),
    revenue90Cents: integer("revenue_90_cents").notNull().default(0),
    revenue180Cents: integer("revenue_180_cents").notNull().default(0),
    npsPromoters: integer("nps_promoters").notNull().default(0),
    npsPassives: integer("nps_passives").notNull().default(0),
    npsDetractors: integer("nps_detractors").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.dim, t.key, t.endWeek] })],
);
