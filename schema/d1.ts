/**
 * D1 schema: what is shared across debtors. Debtor state itself lives in each DebtorDO;
 * D1 holds tenants, hashed API keys, idempotency records, a lookup index and the
 * append-only outcome events that reports are computed from.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const tenants = sqliteTable("tenants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** Name shown to debtors as the sender ("Webshop B.V."). */
  displayName: text("display_name").notNull(),
  contactEmail: text("contact_email"),
  country: text("country", { enum: ["NL", "BE"] }).notNull().default("NL"),
  /** Belgian enterprise (KBO/BCE) number, required content of a Book XIX first reminder. */
  enterpriseNumber: text("enterprise_number"),
  /** Postal address lines of the sender, printed on letters. */
  addressLines: text("address_lines").notNull().default("[]"),
  /** Sender identity, branding, bank details, delivery mode: JSON validated by AccountProfileSchema (workers/account-profile.ts). */
  profile: text("profile").notNull().default("{}"),
  createdAt: integer("created_at").notNull(),
  /**
   * Each account has two environments, like Stripe: its live row (`id`) and a test row
   * (`{id}.test`, `mode` "test", `accountId` the live id). API keys belong to one environment and
   * every row of data is keyed by the environment's id, so test data never meets live data and a
   * test environment is always sandboxed (workers/tenant-mode.ts).
   */
  mode: text("mode", { enum: ["live", "test"] }).notNull().default("live"),
  accountId: text("account_id"),
  /** Months after a debtor's last invoice closed before the cron erases their personal data. */
  retentionMonths: integer("retention_months").notNull().default(24),
  /** Whether GET /v1/debtors/{id}/pay-later answers (advice to the shop; off by default). */
  payLaterEnabled: integer("pay_later_enabled").notNull().default(0),
  /** Set when the platform offboarded the account: keys stop, and the cron erases its debtors. */
  closedAt: integer("closed_at"),
});

/** API keys are stored only as SHA-256 hashes; the prefix lets a merchant recognise a key. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    prefix: text("prefix").notNull(),
    hash: text("hash").notNull(),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
    /** "live" or "test", as the key's prefix says; the key's environment has the same mode. */
    mode: text("mode", { enum: ["live", "test"] }).notNull().default("live"),
    name: text("name"),
    /** JSON array of scopes ("read_only", "invoices_write", "policy_admin"); null: full access. */
    scopes: text("scopes"),
    /** A rolled key keeps working until then (real time, ms); null: no end. */
    expiresAt: integer("expires_at"),
    /** Last request made with the key, recorded at most once a minute (real time, ms). */
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.hash)],
);

/** Stripe-style idempotency: the first response is kept and replayed for the same key. */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    tenantId: text("tenant_id").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    state: text("state", { enum: ["in_flight", "done"] }).notNull(),
    lockedUntil: integer("locked_until").notNull(),
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] }), index("idempotency_created").on(t.createdAt)],
);

/**
 * Invoice id -> debtor lookup, so a request by invoice id reaches the right DebtorDO.
 * The unique (tenant, merchant invoice id) makes registration idempotent even without a key.
 */
export const invoiceIndex = sqliteTable(
  "invoice_index",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    merchantInvoiceId: text("merchant_invoice_id").notNull(),
    debtorId: text("debtor_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("invoice_index_merchant").on(t.tenantId, t.merchantInvoiceId), index("invoice_index_debtor").on(t.tenantId, t.debtorId)],
);

/**
 * Debtors known per tenant, kept in step by each DebtorDO: lets reads skip waking a DO for
 * unknown ids, and lets the cron sweep find debtors whose next step is overdue.
 */
export const debtorIndex = sqliteTable(
  "debtor_index",
  {
    tenantId: text("tenant_id").notNull(),
    debtorId: text("debtor_id").notNull(),
    openInvoices: integer("open_invoices").notNull().default(0),
    /** Clock time (ms) of the debtor's earliest scheduled step; null when nothing is planned. */
    nextStepAt: integer("next_step_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.debtorId] }),
    index("debtor_index_next").on(t.nextStepAt),
    // Retention: debtors with nothing open, oldest change first.
    index("debtor_index_idle").on(t.openInvoices, t.updatedAt),
  ],
);

/** Append-only outcome events. Ids are made by the DebtorDO, so a re-flush inserts nothing twice. */
export const outcomeEvents = sqliteTable(
  "outcome_events",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    debtorId: text("debtor_id").notNull(),
    invoiceId: text("invoice_id"),
    type: text("type").notNull(),
    occurredAt: integer("occurred_at").notNull(),
    data: text("data").notNull().default("{}"),
  },
  (t) => [index("outcome_events_tenant_time").on(t.tenantId, t.occurredAt), index("outcome_events_debtor").on(t.tenantId, t.debtorId)],
);

/** Sandbox outbox: messages rendered but not sent, because the channel has no credentials. */
export const sandboxMessages = sqliteTable(
  "sandbox_messages",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    debtorId: text("debtor_id").notNull(),
    channel: text("channel", { enum: ["email", "letter", "sms", "call", "banner"] }).notNull(),
    recipient: text("recipient").notNull(),
    subject: text("subject").notNull(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    /** The DebtorDO's outbox row, so the page can show the message's status timeline. */
    outboxId: text("outbox_id"),
    createdAt: integer("created_at").notNull(),
    /** Who it would be from, exactly as on the wire: the email From, the SMS sender, the letter's return address. */
    sender: text("sender"),
    /** The email's Reply-To. */
    replyTo: text("reply_to"),
    /** For the shop: what is missing before this would go out live, or what to know about the sender. */
    senderNote: text("sender_note"),
  },
  (t) => [index("sandbox_messages_tenant_time").on(t.tenantId, t.createdAt), index("sandbox_messages_time").on(t.createdAt)],
);

/** The movable clock for development and tests: one row, an offset added to real time. */
export const devClock = sqliteTable("dev_clock", {
  id: integer("id").primaryKey(),
  offsetMs: integer("offset_ms").notNull().default(sql`0`),
});

/** Each tenant's policy, versioned: a PUT adds a version; the highest is live. */
export const policies = sqliteTable(
  "policies",
  {
    tenantId: text("tenant_id").notNull(),
    version: integer("version").notNull(),
    body: text("body").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.version] })],
);

/**
 * Tenant-wide channel outcomes per segment: the priors of the channel mix. Kept in step by the
 * event flush (a trial per reminder sent, a success per payment or arrangement that followed).
 */
export const channelStats = sqliteTable(
  "channel_stats",
  {
    tenantId: text("tenant_id").notNull(),
    segment: text("segment").notNull(),
    channel: text("channel").notNull(),
    successes: integer("successes").notNull().default(0),
    trials: integer("trials").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.segment, t.channel] })],
);

/**
 * Provider message id -> the debtor and outbox row it belongs to, written when the provider
 * accepted the message. Delivery webhooks find their way back through it (tags can be lossy).
 */
export const messageRoutes = sqliteTable(
  "message_routes",
  {
    provider: text("provider").notNull(),
    providerMessageId: text("provider_message_id").notNull(),
    tenantId: text("tenant_id").notNull(),
    debtorId: text("debtor_id").notNull(),
    outboxId: text("outbox_id").notNull(),
    channel: text("channel").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerMessageId] }), index("message_routes_time").on(t.createdAt), index("message_routes_debtor").on(t.tenantId, t.debtorId)],
);

/**
 * Phone numbers per debtor, keyed with a secret (`h1:` + HMAC-SHA256, workers/phone-index.ts), so
 * an inbound STOP finds every debtor it opts out and a copy of the table reveals no number.
 */
export const phoneIndex = sqliteTable(
  "phone_index",
  {
    phoneHash: text("phone_hash").notNull(),
    tenantId: text("tenant_id").notNull(),
    debtorId: text("debtor_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.phoneHash, t.tenantId, t.debtorId] })],
);

/** Webhook ids already processed per provider: replays are answered 200 and change nothing. */
export const webhookReceipts = sqliteTable(
  "webhook_receipts",
  {
    provider: text("provider").notNull(),
    eventId: text("event_id").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.eventId] }), index("webhook_receipts_time").on(t.receivedAt)],
);
/**
 * Short codes printed on letters and sent by SMS (`/l/ABCDE-FGHJK-MNPQR`). Only a hash of the code
 * is kept: a copy of the table opens no page. The code names a debtor, never a token; resolving it
 * starts a short session (workers/links.ts).
 */
export const linkCodes = sqliteTable(
  "link_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    debtorId: text("debtor_id").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("link_codes_debtor").on(t.tenantId, t.debtorId), index("link_codes_expiry").on(t.expiresAt)],
);

/**
 * Call tasks for the shop's call centre (the "call" channel): who to call, the script, and what
 * came of it. Personal data, so kept apart from the sandbox outbox, with its own retention.
 */
export const callTasks = sqliteTable(
  "call_tasks",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    debtorId: text("debtor_id").notNull(),
    outboxId: text("outbox_id").notNull(),
    status: text("status", { enum: ["open", "closed", "expired"] }).notNull(),
    name: text("name").notNull(),
    phone: text("phone"),
    locale: text("locale").notNull(),
    subject: text("subject").notNull(),
    script: text("script").notNull(),
    createdAt: integer("created_at").notNull(),
    closedAt: integer("closed_at"),
    outcome: text("outcome"),
    note: text("note"),
  },
  (t) => [index("call_tasks_tenant").on(t.tenantId, t.status, t.createdAt), index("call_tasks_debtor").on(t.tenantId, t.debtorId), index("call_tasks_time").on(t.createdAt)],
);

/**
 * What a tenant says about a scorecard criterion Kindly cannot observe: its own position, and
 * per criterion its ambition per year (JSON {"2027": "on_the_way", ...}), for the action plan.
 */
export const scoreSelfAssessments = sqliteTable(
  "score_self_assessments",
  {
    tenantId: text("tenant_id").notNull(),
    criterion: text("criterion").notNull(),
    position: text("position", { enum: ["laggard", "on_the_way", "frontrunner"] }),
    ambitions: text("ambitions").notNull().default("{}"),
    note: text("note"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.criterion] })],
);

export * from "./webhooks";

/**
 * Each debtor's 12-digit payment number (BE structured communication, NL kenmerk): a bank
 * payment reported with it finds its debtor by this index, within the tenant only.
 */
export const paymentReferences = sqliteTable(
  "payment_references",
  {
    tenantId: text("tenant_id").notNull(),
    reference: text("reference").notNull(),
    debtorId: text("debtor_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.reference] }), uniqueIndex("payment_references_debtor").on(t.tenantId, t.debtorId)],
);
export * from "./dashboard";
