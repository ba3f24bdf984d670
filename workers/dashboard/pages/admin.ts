/**
 * The owner's pages: users (add, change role, disable), the audit log, and the sender identity.
 * API keys are created and revoked through the API (`/v1/api-keys`, issue 11).
 */
import { Hono } from "hono";
import { html } from "hono/html";
import { AccountPatch, load, patchAccount } from "../../api/account";
import { parseAccountProfile } from "../../account-profile";
import { ApiError, fieldProblems } from "../../errors";
import { auditAs, type DashContext, type DashEnv, formOf, need, render } from "../context";
import { instant } from "../copy";
import { auditPage } from "../audit";
import { csrfField, type Html, problems, table } from "../layout";
import { createUser, listUsers, LOCALES, NewUserSchema, ROLES, type Role, updateUser } from "../users";

export const adminPages = new Hono<DashEnv>();

async function usersPage(c: DashContext, note: Html = html``, errors: { field: string; message: string }[] = [], status: 200 | 400 | 409 = 200) {
  const ctx = need(c, "users.manage");
  const { copy } = ctx;
  const w = copy.users;
  const users = await listUsers(c.env.DB, ctx.user.tenantId);
  const roleOptions = (selected: Role) => ROLES.map((r) => html`<option value="${r}"${r === selected ? html` selected` : ""}>${copy.roles[r]}</option>`);
  const rows = users.map((u) => [
    u.name,
    u.email,
    html`<form class="inline" method="post" action="/app/users/${u.id}">${csrfField(ctx.csrf)}<label class="sr" for="role-${u.id}">${w.role}: ${u.name}</label><select id="role-${u.id}" name="role">${roleOptions(u.role)}</select><button type="submit">${w.change}</button></form>`,
    u.locale,
    u.disabledAt ? w.disabled : w.active,
    html`<form class="inline" method="post" action="/app/users/${u.id}">${csrfField(ctx.csrf)}<input type="hidden" name="disabled" value="${u.disabledAt ? "0" : "1"}"><button type="submit">${u.disabledAt ? w.enable : w.disable}</button></form>`,
  ]);
  const add = html`<section aria-labelledby="add-h"><h2 id="add-h">${w.add}</h2>${problems(copy.common.invalidTitle, errors)}<form method="post" action="/app/users">${csrfField(ctx.csrf)}
<label for="u-name">${w.name}</label><input id="u-name" name="name" required maxlength="100" autocomplete="off">
<label for="u-email">${w.email}</label><input id="u-email" name="email" type="email" required maxlength="254" autocomplete="off">
<label for="u-role">${w.role}</label><select id="u-role" name="role">${roleOptions("viewer")}</select>
<label for="u-locale">${w.language}</label><select id="u-locale" name="locale">${LOCALES.map((l) => html`<option value="${l}">${l === "nl" ? "Nederlands" : "English"}</option>`)}</select>
<button type="submit">${w.create}</button></form></section>`;
  return render(c, w.title, html`${note}<p>${w.intro}</p>${table(w.title, [w.name, w.email, w.role, w.language, w.status, ""], rows)}${add}`, status);
}

adminPages.get("/app/users", (c) => usersPage(c, c.req.query("added") ? html`<p class="note" role="status">${c.get("page").copy.users.created(c.req.query("added") ?? "")}</p>` : html``));

adminPages.post("/app/users", async (c) => {
  const ctx = need(c, "users.manage");
  const form = await formOf(c);
  const parsed = NewUserSchema.safeParse({ email: form.email ?? "", name: form.name ?? "", role: form.role ?? "", locale: form.locale ?? "nl" });
  if (!parsed.success) return usersPage(c, html``, fieldProblems(parsed.error), 400);
  try {
    const user = await createUser(c.env.DB, ctx.user.tenantId, parsed.data, ctx.user.id, Date.now());
    await auditAs(c, "user.created", user.id, { email: user.email, role: user.role });
  } catch (err) {
    if (err instanceof ApiError && err.code === "conflict") return usersPage(c, html``, err.errors, 409);
    throw err;
  }
  return c.redirect(`/app/users?added=${encodeURIComponent(parsed.data.email)}`, 303);
});

adminPages.post("/app/users/:id", async (c) => {
  const ctx = need(c, "users.manage");
  const form = await formOf(c);
  const role = (ROLES as readonly string[]).includes(form.role ?? "") ? (form.role as Role) : undefined;
  const disabled = form.disabled === "1" ? true : form.disabled === "0" ? false : undefined;
  try {
    const user = await updateUser(c.env.DB, ctx.user.tenantId, c.req.param("id"), { ...(role ? { role } : {}), ...(disabled !== undefined ? { disabled } : {}) }, Date.now());
    await auditAs(c, "user.changed", user.id, { role: user.role, disabled: user.disabledAt !== null });
  } catch (err) {
    if (err instanceof ApiError && err.code === "invalid_state") return usersPage(c, html``, err.errors, 409);
    throw err;
  }
  return c.redirect("/app/users", 303);
});

adminPages.get("/app/audit", async (c) => {
  const ctx = need(c, "audit.read");
  const { copy, locale } = ctx;
  const w = copy.audit;
  const before = Number(c.req.query("before"));
  const entries = await auditPage(c.env.DB, ctx.user.tenantId, Number.isSafeInteger(before) && before > 0 ? before : null);
  const last = entries.at(-1);
  const rows = entries.map((e) => [instant(e.at, locale), e.userName ?? e.userId, w.actions[e.action] ?? e.action, e.subject ?? ""]);
  return render(
    c,
    w.title,
    html`<p>${w.intro}</p>${entries.length ? table(w.title, [w.when, w.who, w.action, w.subject], rows) : html`<p>${copy.common.none}</p>`}${
      entries.length === 50 && last ? html`<p><a href="/app/audit?before=${last.at}">${w.older}</a></p>` : ""
    }`,
  );
});

async function accountPage(c: DashContext, errors: { field: string; message: string }[] = [], status: 200 | 400 = 200) {
  const ctx = need(c, "account.write");
  const { copy } = ctx;
  const w = copy.account;
  const row = await load(c.env.DB, ctx.user.tenantId);
  const p = parseAccountProfile(row.profile);
  const field = (id: string, label: string, value: string | undefined, type = "text") =>
    html`<label for="${id}">${label}</label><input id="${id}" name="${id}" type="${type}" value="${value ?? ""}" autocomplete="off">`;
  const mode = p.delivery_mode;
  return render(
    c,
    w.title,
    html`${c.req.query("saved") ? html`<p class="note" role="status">${copy.common.saved}</p>` : ""}<p>${w.intro}</p>${problems(w.invalid, errors)}
<form method="post" action="/app/account">${csrfField(ctx.csrf)}
${field("from_name", w.emailFromName, p.email?.from_name)}${field("from_address", w.emailFromAddress, p.email?.from_address, "email")}${field("reply_to", w.replyTo, p.email?.reply_to, "email")}
${field("sender_id", w.smsSender, p.sms?.sender_id)}${field("phone", w.phone, p.service?.phone, "tel")}${field("help_url", w.helpUrl, p.service?.help_url, "url")}
<label for="delivery_mode">${w.deliveryMode}</label><select id="delivery_mode" name="delivery_mode"><option value="">–</option><option value="sandbox"${mode === "sandbox" ? html` selected` : ""}>${w.sandboxMode}</option><option value="live"${mode === "live" ? html` selected` : ""}>${w.live}</option></select>
<button type="submit">${copy.common.save}</button></form>`,
    status,
  );
}

adminPages.get("/app/account", (c) => accountPage(c));

adminPages.post("/app/account", async (c) => {
  const ctx = need(c, "account.write");
  const f = await formOf(c);
  const cur = parseAccountProfile((await load(c.env.DB, ctx.user.tenantId)).profile);
  const blank = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
  // The form's parts replace the stored ones whole (as the API's PATCH does); blank parts are cleared.
  const email = blank(f.from_name) || blank(f.from_address) ? { from_name: blank(f.from_name), from_address: blank(f.from_address), ...(blank(f.reply_to) ? { reply_to: blank(f.reply_to) } : {}) } : null;
  const sms = blank(f.sender_id) ? { ...cur.sms, sender_id: blank(f.sender_id) } : cur.sms?.from_number ? { from_number: cur.sms.from_number } : null;
  const service = { ...cur.service, phone: blank(f.phone), help_url: blank(f.help_url) };
  const parsed = AccountPatch.safeParse({
    email,
    sms,
    service: Object.values(service).some((v) => v !== undefined) ? JSON.parse(JSON.stringify(service)) : null,
    delivery_mode: f.delivery_mode === "live" || f.delivery_mode === "sandbox" ? f.delivery_mode : null,
  });
  if (!parsed.success) return accountPage(c, fieldProblems(parsed.error), 400);
  await patchAccount(c.env.DB, ctx.user.tenantId, parsed.data);
  await auditAs(c, "account.changed", null, { parts: ["email", "sms", "service", "delivery_mode"] });
  return c.redirect("/app/account?saved=1", 303);
});
