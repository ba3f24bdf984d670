/**
 * A local fake of Resend's documented POST /emails: bearer auth, Idempotency-Key dedup (same key
 * -> same id), 429 rate_limit_exceeded with retry-after, 422 validation_error, 403 for a From on
 * an unverified domain, 5xx on demand.
 */
export interface FakeResend {
  fetch: typeof fetch;
  requests: { url: string; headers: Headers; body: Record<string, unknown> }[];
  /** Emails accepted, by idempotency key (what "sent once" is counted by). */
  accepted: Map<string, string>;
  /** Answers to give to the next requests, in order, before normal service. */
  failNext: (number | "network")[];
}

/** `verifiedDomains`: when given, a From on any other domain answers 403 as Resend does. */
export function fakeResend(baseUrl: string, options: { verifiedDomains?: string[] } = {}): FakeResend {
  const fake: FakeResend = {
    requests: [],
    accepted: new Map(),
    failNext: [],
    fetch: async (input, init) => {
      const req = new Request(input, init);
      if (!req.url.startsWith(baseUrl)) throw new Error(`unexpected fetch to ${req.url}`);
      const body = (await req.json()) as Record<string, unknown>;
      fake.requests.push({ url: req.url, headers: req.headers, body });
      const json = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
        new Response(JSON.stringify(payload), { status, headers: { "content-type": "application/json", ...headers } });
      if (!/^Bearer re_/.test(req.headers.get("authorization") ?? "")) return json(401, { statusCode: 401, name: "missing_api_key", message: "Missing API key" });
      const failure = fake.failNext.shift();
      if (failure === "network") throw new TypeError("fetch failed");
      if (failure === 429) return json(429, { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests" }, { "retry-after": "1" });
      if (typeof failure === "number") return json(failure, { statusCode: failure, name: "internal_server_error", message: "Oops" });
      const fromDomain = /@([^>\s]+)>?\s*$/.exec(String(body.from ?? ""))?.[1];
      if (options.verifiedDomains && (!fromDomain || !options.verifiedDomains.includes(fromDomain))) {
        return json(403, { statusCode: 403, name: "validation_error", message: `The ${fromDomain ?? "sender"} domain is not verified. Please, add and verify your domain on https://resend.com/domains` });
      }
      const to = Array.isArray(body.to) ? body.to : [body.to];
      if (to.length === 0 || !to.every((t) => typeof t === "string" && /^[^@\s]+@[^@\s]+$/.test(t))) return json(422, { statusCode: 422, name: "validation_error", message: "Invalid `to` field." });
      const key = req.headers.get("idempotency-key") ?? crypto.randomUUID();
      const id = fake.accepted.get(key) ?? crypto.randomUUID();
      fake.accepted.set(key, id);
      return json(200, { id });
    },
  };
  return fake;
}
