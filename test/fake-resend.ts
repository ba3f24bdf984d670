/**
 * A local fake of Resend's documented POST /emails and POST /emails/batch: bearer auth,
 * Idempotency-Key dedup (same key and body -> same ids; same key with another body -> 409
 * invalid_idempotent_request), 429 rate_limit_exceeded with retry-after, 422 validation_error,
 * 403 for a From on an unverified domain, 5xx on demand. A batch takes 1 to 100 emails and, in
 * Resend's default strict validation mode, refuses all of them when one is invalid; it answers
 * `{ data: [{ id }, ...] }` in the order sent.
 */
export interface FakeResend {
  fetch: typeof fetch;
  requests: { url: string; headers: Headers; body: Record<string, unknown> }[];
  /** Emails accepted, by idempotency key (a batch member: `{key}#{index}`): what "sent once" is counted by. */
  accepted: Map<string, string>;
  /** Every distinct email accepted, with the outbox tag it carried (a replayed key adds nothing). */
  emails: { key: string; to: string; debtor: string | null; outbox: string | null }[];
  /** Answers to give to the next requests, in order, before normal service. */
  failNext: (number | "network")[];
  /** Addresses Resend refuses with 422 (as it does for an address it cannot deliver to). */
  refusedRecipients: Set<string>;
}

type Json = Record<string, unknown>;

/** `verifiedDomains`: when given, a From on any other domain answers 403 as Resend does. */
export function fakeResend(baseUrl: string, options: { verifiedDomains?: string[] } = {}): FakeResend {
  const bodies = new Map<string, string>();
  const batches = new Map<string, string[]>();
  const json = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(payload), { status, headers: { "content-type": "application/json", ...headers } });
  /** Why Resend would refuse this email, or null. */
  const invalid = (email: Json): Response | null => {
    const fromDomain = /@([^>\s]+)>?\s*$/.exec(String(email.from ?? ""))?.[1];
    if (options.verifiedDomains && (!fromDomain || !options.verifiedDomains.includes(fromDomain))) {
      return json(403, { statusCode: 403, name: "validation_error", message: `The ${fromDomain ?? "sender"} domain is not verified. Please, add and verify your domain on https://resend.com/domains` });
    }
    const to = Array.isArray(email.to) ? email.to : [email.to];
    if (to.length === 0 || !to.every((t) => typeof t === "string" && /^[^@\s]+@[^@\s]+$/.test(t) && !fake.refusedRecipients.has(t))) return json(422, { statusCode: 422, name: "validation_error", message: "Invalid `to` field." });
    return null;
  };
  const record = (key: string, email: Json): string => {
    const id = crypto.randomUUID();
    const tags = Array.isArray(email.tags) ? (email.tags as { name?: string; value?: string }[]) : [];
    fake.accepted.set(key, id);
    fake.emails.push({ key, to: String((Array.isArray(email.to) ? email.to[0] : email.to) ?? ""), debtor: tags.find((t) => t.name === "debtor")?.value ?? null, outbox: tags.find((t) => t.name === "outbox")?.value ?? null });
    return id;
  };
  const fake: FakeResend = {
    requests: [],
    accepted: new Map(),
    emails: [],
    failNext: [],
    refusedRecipients: new Set(),
    fetch: async (input, init) => {
      const req = new Request(input, init);
      if (!req.url.startsWith(baseUrl)) throw new Error(`unexpected fetch to ${req.url}`);
      const raw = await req.text();
      const body = JSON.parse(raw) as unknown;
      fake.requests.push({ url: req.url, headers: req.headers, body: (Array.isArray(body) ? { emails: body } : body) as Json });
      if (!/^Bearer re_/.test(req.headers.get("authorization") ?? "")) return json(401, { statusCode: 401, name: "missing_api_key", message: "Missing API key" });
      const failure = fake.failNext.shift();
      if (failure === "network") throw new TypeError("fetch failed");
      if (failure === 429) return json(429, { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests" }, { "retry-after": "1" });
      if (typeof failure === "number") return json(failure, { statusCode: failure, name: "internal_server_error", message: "Oops" });
      const key = req.headers.get("idempotency-key");
      const batch = new URL(req.url).pathname.endsWith("/emails/batch");
      // The same key with another body is refused; with the same body it answers as the first time.
      const scope = `${batch ? "batch" : "email"}:${key}`;
      if (key !== null && bodies.has(scope) && bodies.get(scope) !== raw) {
        return json(409, { statusCode: 409, name: "invalid_idempotent_request", message: "Same idempotency key used with a different request payload." });
      }
      if (!batch) {
        const refusal = invalid(body as Json);
        if (refusal) return refusal;
        if (key !== null && fake.accepted.has(key)) return json(200, { id: fake.accepted.get(key) });
        const id = record(key ?? crypto.randomUUID(), body as Json);
        if (key !== null) bodies.set(scope, raw);
        return json(200, { id });
      }
      if (!Array.isArray(body) || body.length === 0 || body.length > 100) return json(422, { statusCode: 422, name: "validation_error", message: "The batch must contain between 1 and 100 emails." });
      const emails = body as Json[];
      // Not supported in batches, per Resend's API reference.
      if (emails.some((e) => e.attachments !== undefined || e.scheduled_at !== undefined)) return json(422, { statusCode: 422, name: "validation_error", message: "attachments and scheduled_at are not supported in batch emails." });
      for (const e of emails) {
        const refusal = invalid(e);
        if (refusal) return refusal;
      }
      const batchKey = key ?? crypto.randomUUID();
      const ids = batches.get(batchKey) ?? emails.map((e, i) => record(`${batchKey}#${i}`, e));
      batches.set(batchKey, ids);
      if (key !== null) bodies.set(scope, raw);
      return json(200, { data: ids.map((id) => ({ id })) });
    },
  };
  return fake;
}
