/**
 * /v1/users: the people who can sign in to the dashboard, managed with the tenant's API key (the
 * first owner is created this way; owners then add others in the app too). A user signs in with
 * a one-time link sent to their email address; the API never hands out a session or a link.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { createApp } from "../app";
import { requireApiKey } from "../auth";
import { LOCALES, NewUserSchema, ROLES, createUser, listUsers, updateUser, type DashboardUser } from "../dashboard/users";
import { ProblemSchema } from "./schemas";

export const users = createApp();
users.use("*", requireApiKey);

const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES).openapi({ description: "owner: users, keys, sender identity; credit_manager: policy and debtors; marketer: templates and experiments; viewer: the figures only." }),
    locale: z.enum(LOCALES),
    created_at: z.string(),
    disabled_at: z.string().nullable(),
  })
  .openapi("DashboardUser");
const view = (u: DashboardUser) => ({
  id: u.id, email: u.email, name: u.name, role: u.role, locale: u.locale, created_at: new Date(u.createdAt).toISOString(), disabled_at: u.disabledAt === null ? null : new Date(u.disabledAt).toISOString(),
});
const problem = (description: string) => ({ content: { "application/problem+json": { schema: ProblemSchema } }, description });
const Params = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });

users.openapi(
  createRoute({
    method: "post",
    path: "/",
    summary: "Add a dashboard user",
    description: "They sign in at /app/signin with a one-time link sent to this address.",
    request: { body: { content: { "application/json": { schema: NewUserSchema.openapi("NewDashboardUser") } }, required: true } },
    responses: { 201: { content: { "application/json": { schema: UserSchema } }, description: "Added" }, 401: problem("Missing or invalid API key"), 409: problem("A user with this address exists"), 422: problem("Invalid request") },
  }),
  async (c) => c.json(view(await createUser(c.env.DB, c.get("tenant").id, c.req.valid("json"), null, Date.now())), 201),
);

users.openapi(
  createRoute({ method: "get", path: "/", summary: "List dashboard users", responses: { 200: { content: { "application/json": { schema: z.object({ data: z.array(UserSchema) }) } }, description: "Users" }, 401: problem("Missing or invalid API key") } }),
  async (c) => c.json({ data: (await listUsers(c.env.DB, c.get("tenant").id)).map(view) }, 200),
);

users.openapi(
  createRoute({
    method: "patch",
    path: "/{id}",
    summary: "Change a user's role, language, or disable them",
    description: "A changed role or a disabled user ends their sessions at once. The last active owner cannot be demoted or disabled.",
    request: {
      params: Params,
      body: { content: { "application/json": { schema: z.strictObject({ role: z.enum(ROLES).optional(), locale: z.enum(LOCALES).optional(), disabled: z.boolean().optional() }).openapi("DashboardUserPatch") } }, required: true },
    },
    responses: { 200: { content: { "application/json": { schema: UserSchema } }, description: "Changed" }, 401: problem("Missing or invalid API key"), 404: problem("No such user"), 409: problem("The last owner"), 422: problem("Invalid request") },
  }),
  async (c) => c.json(view(await updateUser(c.env.DB, c.get("tenant").id, c.req.valid("param").id, c.req.valid("json"), Date.now())), 200),
);
