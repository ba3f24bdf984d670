/**
 * /v1/account: the tenant's sender details, as debtors see them on every message and letter:
 * name and address, the shop's own email and SMS sender, customer service, branding, bank
 * details for paying by transfer, a link domain, the handover partner and the delivery mode.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { AccountProfileSchema, parseAccountProfile, type AccountProfile } from "../account-profile";
import { createApp } from "../app";
import { requireApiKey } from "../auth";
import { ApiError } from "../errors";
import { ProblemSchema } from "./schemas";

export const account = createApp();
account.use("*", requireApiKey);

const profileShape = AccountProfileSchema.shape;
type ProfileKey = keyof AccountProfile;
const PROFILE_KEYS = Object.keys(profileShape) as ProfileKey[];

const AccountSchema = z
  .object({
    id: z.string(),
    display_name: z.string(),
    contact_email: z.string().nullable(),
    country: z.enum(["NL", "BE"]),
    enterprise_number: z.string().nullable(),
    address_lines: z.array(z.string()),
    ...profileShape,
  })
  .openapi("Account");

// Every profile part may be replaced whole, or cleared with null.
const nullablePart = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]).optional();
export const AccountPatch = z
  .strictObject({
    display_name: z.string().min(1).max(100).optional(),
    contact_email: z.email().max(254).nullable().optional(),
    country: z.enum(["NL", "BE"]).optional(),
    // KBO/BCE number: ten digits starting with 0 or 1, dots optional (0123.456.789).
    enterprise_number: z
      .string()
      .regex(/^[01]\d{3}\.?\d{3}\.?\d{3}$/, { message: "Use the KBO/BCE number, e.g. 0123.456.789." })
      .nullable()
      .optional(),
    address_lines: z.array(z.string().min(1).max(100)).max(4).optional().openapi({ description: "The sender address printed on letters, e.g. [\"Dorpsstraat 1\", \"1234 AB Utrecht\"]." }),
    legal_name: nullablePart(profileShape.legal_name.unwrap()),
    kvk_number: nullablePart(profileShape.kvk_number.unwrap()),
    email: nullablePart(profileShape.email.unwrap()),
    sms: nullablePart(profileShape.sms.unwrap()),
    service: nullablePart(profileShape.service.unwrap()),
    branding: nullablePart(profileShape.branding.unwrap()),
    bank: nullablePart(profileShape.bank.unwrap()),
    links: nullablePart(profileShape.links.unwrap()),
    handover_partner: profileShape.handover_partner,
    delivery_mode: nullablePart(profileShape.delivery_mode.unwrap()),
    letters: nullablePart(profileShape.letters.unwrap()),
  })
  .openapi("AccountPatch");

type Row = { id: string; display_name: string; contact_email: string | null; country: "NL" | "BE"; enterprise_number: string | null; address_lines: string; profile: string };
const view = (r: Row) => {
  const { profile, address_lines, ...rest } = r;
  return { ...rest, address_lines: JSON.parse(address_lines) as string[], ...parseAccountProfile(profile) };
};
const problem = (description: string) => ({ content: { "application/problem+json": { schema: ProblemSchema } }, description });

/** The tenant's row. */
export async function load(db: D1Database, id: string): Promise<Row> {
  const row = await db
    .prepare("SELECT id, display_name, contact_email, country, enterprise_number, address_lines, profile FROM tenants WHERE id = ?")
    .bind(id)
    .first<Row>();
  if (!row) throw new ApiError("not_found", "Account not found.");
  return row;
}

account.openapi(
  createRoute({ method: "get", path: "/", summary: "Read your sender details", responses: { 200: { content: { "application/json": { schema: AccountSchema } }, description: "Account" }, 401: problem("Missing or invalid API key") } }),
  async (c) => c.json(view(await load(c.env.DB, c.get("tenant").id)) as never, 200),
);

account.openapi(
  createRoute({
    method: "patch",
    path: "/",
    summary: "Change your sender details",
    description:
      "Fields left out stay as they are; a profile part (email, sms, service, branding, bank, links, handover_partner, letters) is replaced whole, or cleared with null. " +
      "A Belgian first reminder must name the creditor's enterprise number (Book XIX); without it Kindly sends a plain reminder letter.",
    request: { body: { content: { "application/json": { schema: AccountPatch } }, required: true } },
    responses: { 200: { content: { "application/json": { schema: AccountSchema } }, description: "Updated" }, 401: problem("Missing or invalid API key"), 422: problem("Invalid request") },
  }),
  async (c) => c.json(view(await patchAccount(c.env.DB, c.get("tenant").id, c.req.valid("json"))) as never, 200),
);

/** Applies a change to the sender details (the API's PATCH and the dashboard's account form). */
export async function patchAccount(db: D1Database, id: string, p: z.infer<typeof AccountPatch>): Promise<Row> {
  const cur = await load(db, id);
  const profile: Record<string, unknown> = { ...parseAccountProfile(cur.profile) };
  for (const key of PROFILE_KEYS) {
    const value = p[key];
    if (value === undefined) continue;
    if (value === null) delete profile[key];
    else profile[key] = value;
  }
  const next: Row = {
    ...cur,
    display_name: p.display_name ?? cur.display_name,
    contact_email: p.contact_email === undefined ? cur.contact_email : p.contact_email,
    country: p.country ?? cur.country,
    enterprise_number: p.enterprise_number === undefined ? cur.enterprise_number : p.enterprise_number,
    address_lines: p.address_lines ? JSON.stringify(p.address_lines) : cur.address_lines,
    profile: JSON.stringify(AccountProfileSchema.parse(profile)),
  };
  await db.prepare("UPDATE tenants SET display_name = ?, contact_email = ?, country = ?, enterprise_number = ?, address_lines = ?, profile = ? WHERE id = ?")
    .bind(next.display_name, next.contact_email, next.country, next.enterprise_number, next.address_lines, next.profile, id)
    .run();
  return next;
}
