/**
 * A local fake of Lob's documented POST /v1/letters: Basic auth with the API key as username
 * (401 unauthorized, 403 for publishable keys), JSON bodies, errors as
 * `{ error: { message, status_code, code } }`, 422 validation, 429 rate_limit_exceeded with
 * X-Rate-Limit-* headers, 5xx and network failures on demand. Idempotency as Lob documents it:
 * keys are scoped per mode (test/live), and a repeated key returns the letter already created
 * (Lob documents no error for a different body under the same key; neither does this fake).
 */
export interface FakeLobLetter {
  id: string;
  mode: "test" | "live";
  body: Record<string, unknown>;
  response: Record<string, unknown>;
}

export type LobFailure = "network" | number | { status: number; code: string; message?: string; headers?: Record<string, string> };

export interface FakeLob {
  fetch: typeof fetch;
  requests: { url: string; headers: Headers; body: Record<string, unknown> }[];
  /** Letters Lob created (what "printed once" is counted by). */
  letters: FakeLobLetter[];
  /** Answers to give to the next requests, in order, before normal service. */
  failNext: LobFailure[];
}

export interface FakeLobOptions {
  /** A standard account: `from` must be a US address (no custom envelope). Default: the EU set-up we assume. */
  usOnlyReturnAddress?: boolean;
}

const COUNTRY_NAMES: Record<string, string> = { NL: "NETHERLANDS", BE: "BELGIUM", US: "UNITED STATES" };
const PLACEMENTS = ["top_first_page", "insert_blank_page", "bottom_first_page", "bottom_first_page_center"];

export function fakeLob(baseUrl: string, options: FakeLobOptions = {}): FakeLob {
  const byKey = new Map<string, FakeLobLetter>();
  const json = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(payload), { status, headers: { "content-type": "application/json", ...headers } });
  const error = (status: number, code: string, message: string, headers: Record<string, string> = {}) => json(status, { error: { message, status_code: status, code } }, headers);
  const hex = (bytes: number) => [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");

  const fake: FakeLob = {
    requests: [],
    letters: [],
    failNext: [],
    fetch: async (input, init) => {
      const req = new Request(input, init);
      if (!req.url.startsWith(baseUrl)) throw new Error(`unexpected fetch to ${req.url}`);
      const text = await req.text();
      const body = (req.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : {}) as Record<string, unknown>;
      fake.requests.push({ url: req.url, headers: req.headers, body });

      const auth = /^Basic (.+)$/.exec(req.headers.get("authorization") ?? "");
      const [key, password] = auth ? atob(auth[1] ?? "").split(":") : [];
      const mode = key?.startsWith("test_") ? "test" : key?.startsWith("live_") ? "live" : null;
      if (!mode || password !== "") return error(401, "unauthorized", "Your API key is not valid.");
      if (key?.startsWith(`${mode}_pub_`)) return error(403, "publishable_key_not_allowed", "The requested operation needs a secret key.");
      if (req.method !== "POST" || req.url !== `${baseUrl}/letters`) return error(404, "unrecognized_endpoint", "The requested endpoint doesn't exist.");

      const failure = fake.failNext.shift();
      if (failure === "network") throw new TypeError("fetch failed");
      if (failure === 429) {
        const reset = String(Math.floor(Date.now() / 1000) + 5);
        return error(429, "rate_limit_exceeded", "Rate limit exceeded. Please wait 5 seconds and try your request again.", {
          "x-rate-limit-limit": "150",
          "x-rate-limit-remaining": "0",
          "x-rate-limit-reset": reset,
        });
      }
      if (typeof failure === "number") return error(failure, failure === 503 ? "service_unavailable" : "internal_server_error", "An error has occured on Lob's servers.");
      if (failure) return error(failure.status, failure.code, failure.message ?? failure.code, failure.headers);

      const idem = req.headers.get("idempotency-key");
      if (idem !== null && (idem.length === 0 || idem.length > 256)) return error(422, "invalid", "Idempotency-Key must be a string of no longer than 256 characters");
      const scoped = idem === null ? null : `${mode}:${idem}`;
      const existing = scoped ? byKey.get(scoped) : undefined;
      if (existing) return json(200, existing.response);

      const invalid = validate(body, options);
      if (invalid) return error(422, invalid.code, invalid.message);

      const id = `ltr_${hex(8)}`;
      const now = new Date();
      const response = {
        id,
        object: "letter",
        description: body.description ?? null,
        metadata: body.metadata ?? {},
        to: asAddress(body.to, hex),
        from: asAddress(body.from, hex),
        color: body.color,
        double_sided: body.double_sided ?? true,
        address_placement: body.address_placement ?? "top_first_page",
        mail_type: body.mail_type ?? "usps_first_class",
        use_type: body.use_type,
        extra_service: null,
        return_envelope: false,
        url: `https://lob-assets.com/letters/${id}.pdf?expires=1&signature=x`,
        carrier: "USPS",
        tracking_number: null,
        tracking_events: [],
        expected_delivery_date: new Date(now.getTime() + 12 * 86_400_000).toISOString().slice(0, 10),
        date_created: now.toISOString(),
        date_modified: now.toISOString(),
        send_date: new Date(now.getTime() + 5 * 60_000).toISOString(),
      };
      const created: FakeLobLetter = { id, mode, body, response };
      fake.letters.push(created);
      if (scoped) byKey.set(scoped, created);
      return json(200, response);
    },
  };
  return fake;
}

function validate(body: Record<string, unknown>, options: FakeLobOptions): { code: string; message: string } | null {
  for (const side of ["to", "from"] as const) {
    const a = body[side];
    if (typeof a !== "object" || a === null) return { code: "invalid", message: `${side} is required` };
    const address = a as Record<string, unknown>;
    for (const field of ["name", "address_line1", "address_country"]) {
      if (typeof address[field] !== "string" || address[field] === "") return { code: "invalid", message: `${side}.${field} is required` };
    }
    if (typeof address.name === "string" && address.name.length > 40) return { code: "invalid", message: `${side}.name must be no longer than 40 characters` };
    if (!/^[A-Z]{2}$/.test(String(address.address_country))) return { code: "invalid", message: `${side}.address_country must be an ISO 3166-1 alpha-2 code` };
  }
  const to = body.to as Record<string, string>;
  if (`${to.address_line1}${to.address_line2 ?? ""}`.length > 50) return { code: "address_length_exceeds_limit", message: "The sum of to.address_line1 and to.address_line2 cannot surpass 50 characters." };
  const from = body.from as Record<string, string>;
  if (options.usOnlyReturnAddress && from.address_country !== "US") return { code: "foreign_return_address", message: "The 'from' address must be a US address." };
  if (typeof body.file !== "string" || body.file.length === 0) return { code: "invalid", message: "file is required" };
  if (body.file.length >= 10_000) return { code: "invalid", message: "file HTML string must be under 10,000 characters" };
  if (typeof body.color !== "boolean") return { code: "invalid", message: "color is required" };
  if (body.address_placement !== undefined && !PLACEMENTS.includes(String(body.address_placement))) return { code: "invalid", message: "address_placement is invalid" };
  if (!["marketing", "operational"].includes(String(body.use_type))) return { code: "invalid", message: "use_type must be one of [marketing, operational]" };
  if (body.mail_type !== undefined && body.mail_type !== "usps_first_class" && body.mail_type !== "usps_standard") return { code: "invalid", message: "mail_type is invalid" };
  if (body.metadata !== undefined) {
    const entries = Object.entries(body.metadata as Record<string, unknown>);
    if (entries.length > 20 || entries.some(([k, v]) => k.length >= 40 || typeof v !== "string" || v.length >= 500)) return { code: "invalid", message: "metadata is invalid" };
  }
  return null;
}

/** Lob standardizes non-US addresses into uppercase and returns them as address objects. */
function asAddress(a: unknown, hex: (bytes: number) => string): Record<string, unknown> {
  const address = a as Record<string, string>;
  const upper = (v: string | undefined) => (v === undefined ? null : v.toUpperCase());
  return {
    id: `adr_${hex(8)}`,
    object: "address",
    name: upper(address.name),
    address_line1: upper(address.address_line1),
    address_line2: upper(address.address_line2),
    address_city: upper(address.address_city),
    address_state: null,
    address_zip: upper(address.address_zip),
    address_country: COUNTRY_NAMES[address.address_country ?? ""] ?? address.address_country,
  };
}
