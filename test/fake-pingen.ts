/**
 * A local fake of Pingen's documented API v2 (JSON:API), as its official SDKs call it:
 * POST /auth/access-tokens (OAuth 2 client credentials, form body), GET /file-upload (a signed
 * upload URL and its url_signature), PUT of the file to that URL, and POST
 * /organisations/{id}/deliveries/letters (file_url + file_url_signature, address_position,
 * auto_send with delivery_product, print_mode, print_spectrum). Errors as JSON:API `errors`
 * (401, 403, 422, 429 with Retry-After, 5xx) and lost answers on demand.
 *
 * Like Pingen it reads the letter before printing it: A4 pages, fonts embedded, the recipient's
 * address as text in the address area of the first page (22-107.5 mm x 60-85.5 mm for a left
 * window), nothing in the postage strip (20-109.5 mm x 40-60 mm); a letter that fails is kept
 * with its issue and never printed. `printed` counts what would reach a letterbox.
 *
 * Idempotency-Key: the same key with the same body answers with the letter already made; with
 * another body (a retry with a new upload URL) it is refused, as Stripe-style keys are.
 */
import { createHmac, randomUUID } from "node:crypto";
import { PDFDict, PDFDocument, PDFName } from "pdf-lib";
import { readPdf } from "./pdf-reader";

export interface FakePingenLetter {
  id: string;
  fileName: string;
  attributes: Record<string, unknown>;
  pdf: Uint8Array;
  /** The address Pingen read from the window, line by line. */
  address: string[];
  issues: string[];
  idempotencyKey: string | null;
}

export type PingenFailure = "network" | "lost" | number | { status: number; code?: string; headers?: Record<string, string> };

export interface FakePingen {
  fetch: typeof fetch;
  requests: { method: string; url: string; headers: Headers; body: string }[];
  /** Letters Pingen made (valid or not). */
  letters: FakePingenLetter[];
  /** Letters that would be printed and posted: valid, auto-sent. */
  printed: () => FakePingenLetter[];
  /** Answers to give to the next create requests, in order ("lost": the letter is made, the answer never arrives). */
  failNext: PingenFailure[];
  /** Answers for the next token requests. */
  failToken: PingenFailure[];
  tokensIssued: number;
  /** A signed webhook as Pingen sends it, for a letter and a category ("sent", "undeliverable", "issues", "delivered"). */
  webhook: (category: string, letterId: string, opts?: { emittedAt?: Date; createdAt?: Date; secret?: string; eventId?: string; code?: string }) => { body: string; headers: Record<string, string> };
}

export interface FakePingenOptions {
  clientId: string;
  clientSecret: string;
  organisationId: string;
  webhookSecret: string;
}

const UPLOADS = "https://pingen-uploads.fake";
const PT = 72 / 25.4;
const ADDRESS_AREA = { left: 22, top: 60, right: 107.5, bottom: 85.5 };
const POSTAGE_AREA = { left: 20, top: 40, right: 109.5, bottom: 60 };
const PRODUCTS = ["cheap", "fast", "registered", "bulk", "premium"];

/** Pingen's date format: "2024-04-26T09:54:38+0000". */
const pingenDate = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "+0000");

export function fakePingen(baseUrl: string, o: FakePingenOptions): FakePingen {
  const tokens = new Set<string>();
  const uploads = new Map<string, { signature: string; bytes: Uint8Array | null }>();
  const byKey = new Map<string, { body: string; response: string }>();
  const json = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(payload), { status, headers: { "content-type": "application/vnd.api+json", ...headers } });
  const errors = (status: number, code: string, detail: string, headers: Record<string, string> = {}) => json(status, { errors: [{ code, title: code, detail, source: {} }] }, headers);
  const failure = (f: PingenFailure | undefined): Response | "network" | "lost" | null => {
    if (f === undefined) return null;
    if (f === "network" || f === "lost") return f;
    if (typeof f === "number") return errors(f, f === 429 ? "too_many_requests" : f >= 500 ? "server_error" : "error", `fake ${f}`, f === 429 ? { "retry-after": "7" } : {});
    return errors(f.status, f.code ?? "error", `fake ${f.status}`, f.headers ?? {});
  };

  const fake: FakePingen = {
    requests: [],
    letters: [],
    failNext: [],
    failToken: [],
    tokensIssued: 0,
    printed: () => fake.letters.filter((l) => l.issues.length === 0 && l.attributes.auto_send === true),
    fetch: async (input, init) => {
      const req = new Request(input, init);
      const body = req.method === "PUT" ? "" : new TextDecoder().decode(await req.clone().arrayBuffer());
      fake.requests.push({ method: req.method, url: req.url, headers: req.headers, body });

      if (req.url.startsWith(UPLOADS)) {
        const upload = uploads.get(req.url);
        if (req.method !== "PUT" || !upload) return new Response("no such upload", { status: 403 });
        upload.bytes = new Uint8Array(await req.arrayBuffer());
        return new Response(null, { status: 200 });
      }
      if (!req.url.startsWith(baseUrl)) throw new Error(`unexpected fetch to ${req.url}`);
      const path = req.url.slice(baseUrl.length);

      if (req.method === "POST" && path === "/auth/access-tokens") {
        const f = failure(fake.failToken.shift());
        if (f === "network" || f === "lost") throw new TypeError("fetch failed");
        if (f) return f;
        const form = new URLSearchParams(body);
        if (req.headers.get("content-type") !== "application/x-www-form-urlencoded") return json(400, { error: "invalid_request" });
        if (form.get("grant_type") !== "client_credentials") return json(400, { error: "unsupported_grant_type" });
        if (form.get("client_id") !== o.clientId || form.get("client_secret") !== o.clientSecret) return json(401, { error: "invalid_client", error_description: "Client authentication failed", message: "Client authentication failed" });
        const token = `tok_${randomUUID()}`;
        tokens.add(token);
        fake.tokensIssued++;
        return json(200, { token_type: "Bearer", expires_in: 43200, access_token: token });
      }

      const bearer = /^Bearer (.+)$/.exec(req.headers.get("authorization") ?? "")?.[1];
      if (!bearer || !tokens.has(bearer)) return errors(401, "access_denied", "The resource owner or authorization server denied the request.");

      if (req.method === "GET" && path === "/file-upload") {
        const id = randomUUID();
        const url = `${UPLOADS}/${id}?X-Amz-Signature=${randomUUID().replace(/-/g, "")}`;
        const signature = `$2y$10$${randomUUID().replace(/-/g, "")}`;
        uploads.set(url, { signature, bytes: null });
        return json(200, { data: { id, type: "file_uploads", attributes: { url, url_signature: signature, expires_at: pingenDate(new Date(Date.now() + 3600_000)) } } });
      }

      const create = /^\/organisations\/([^/]+)\/deliveries\/letters$/.exec(path);
      if (req.method === "POST" && create) {
        if (create[1] !== o.organisationId) return errors(403, "forbidden", "This action is unauthorized.");
        if (req.headers.get("content-type") !== "application/vnd.api+json") return errors(415, "unsupported_media_type", "Use application/vnd.api+json.");
        const f = failure(fake.failNext.shift());
        if (f === "network") throw new TypeError("fetch failed");
        if (f instanceof Response) return f;
        const key = req.headers.get("idempotency-key");
        const seen = key ? byKey.get(key) : undefined;
        if (seen && seen.body === body) return new Response(seen.response, { status: 201, headers: { "content-type": "application/vnd.api+json" } });
        if (seen) return errors(422, "idempotency_key_reused", "This Idempotency-Key was used with another request.");
        const parsed = JSON.parse(body) as { data?: { type?: string; attributes?: Record<string, unknown> } };
        const a = parsed.data?.attributes ?? {};
        if (parsed.data?.type !== "letters") return errors(422, "validation_failed", "data.type must be letters");
        const upload = typeof a.file_url === "string" ? uploads.get(a.file_url) : undefined;
        if (!upload?.bytes || a.file_url_signature !== upload.signature) return errors(422, "validation_failed", "file_url or file_url_signature is invalid");
        if (typeof a.file_original_name !== "string" || !a.file_original_name) return errors(422, "validation_failed", "file_original_name is required");
        if (a.address_position !== "left" && a.address_position !== "right") return errors(422, "validation_failed", "address_position is invalid");
        if (typeof a.auto_send !== "boolean") return errors(422, "validation_failed", "auto_send is required");
        if (a.auto_send && (!PRODUCTS.includes(String(a.delivery_product)) || !["simplex", "duplex"].includes(String(a.print_mode)) || !["color", "grayscale"].includes(String(a.print_spectrum)))) {
          return errors(422, "validation_failed", "delivery_product, print_mode and print_spectrum are required with auto_send");
        }
        const { address, issues } = await inspect(upload.bytes);
        const id = randomUUID();
        const attributes = {
          status: issues.length ? "action_required" : a.auto_send ? "submitted" : "valid",
          file_original_name: a.file_original_name,
          file_pages: (await PDFDocument.load(upload.bytes)).getPageCount(),
          address: address.join("\n"),
          address_position: a.address_position,
          country: /^\d{4}$/.test(address.at(-2)?.split(" ")[0] ?? "") || address.at(-1) === "BELGIË" ? "BE" : "NL",
          delivery_product: a.delivery_product ?? null,
          print_mode: a.print_mode ?? null,
          print_spectrum: a.print_spectrum ?? null,
          price_currency: "EUR",
          price_value: 1.19,
          auto_send: a.auto_send,
          created_at: pingenDate(new Date()),
        };
        fake.letters.push({ id, fileName: a.file_original_name, attributes, pdf: upload.bytes, address, issues, idempotencyKey: key });
        const response = JSON.stringify({ data: { id, type: "letters", attributes, relationships: { organisation: { data: { id: o.organisationId, type: "organisations" } } } } });
        if (key) byKey.set(key, { body, response });
        if (f === "lost") throw new TypeError("network connection lost");
        return new Response(response, { status: 201, headers: { "content-type": "application/vnd.api+json" } });
      }
      return errors(404, "not_found", `No route for ${req.method} ${path}`);
    },
    webhook: (category, letterId, opts = {}) => {
      const eventId = randomUUID();
      const letterEventId = randomUUID();
      const emitted = opts.emittedAt ?? new Date();
      const payload = {
        data: {
          type: `webhook_${category}`,
          id: opts.eventId ?? eventId,
          attributes: { reason: category === "undeliverable" ? "Recipient unknown" : category === "issues" ? "Content in restricted area" : null, url: "https://kindly.test/webhooks/pingen", created_at: pingenDate(opts.createdAt ?? new Date()) },
          relationships: {
            organisation: { data: { type: "organisations", id: o.organisationId } },
            letter: { data: { type: "letters", id: letterId } },
            event: { data: { type: "letters_events", id: letterEventId } },
          },
        },
        included: [
          { type: "letters", id: letterId, attributes: { status: category === "sent" ? "sent" : category } },
          { type: "letters_events", id: letterEventId, attributes: { code: opts.code ?? category, name: category, producer: "Pingen", location: "", has_image: false, data: [], emitted_at: pingenDate(emitted), created_at: pingenDate(emitted) } },
        ],
      };
      const body = JSON.stringify(payload);
      const signature = createHmac("sha256", opts.secret ?? o.webhookSecret).update(body).digest("hex");
      return { body, headers: { "content-type": "application/vnd.api+json", signature } };
    },
  };
  return fake;
}

/** What Pingen checks before it prints: A4, embedded fonts, the address in the window, the postage strip blank. */
async function inspect(pdf: Uint8Array): Promise<{ address: string[]; issues: string[] }> {
  const issues: string[] = [];
  const doc = await PDFDocument.load(pdf);
  for (const page of doc.getPages()) {
    const { width, height } = page.getSize();
    if (Math.abs(width / PT - 210) > 1 || Math.abs(height / PT - 297) > 1) issues.push("format_not_a4");
  }
  const descriptors = doc.context.enumerateIndirectObjects().map(([, obj]) => obj).filter((obj): obj is PDFDict => obj instanceof PDFDict && obj.get(PDFName.of("Type")) === PDFName.of("FontDescriptor"));
  if (descriptors.length === 0 || descriptors.some((d) => !d.get(PDFName.of("FontFile2")) && !d.get(PDFName.of("FontFile3")))) issues.push("fonts_not_embedded");
  if (doc.getPageCount() > 14) issues.push("file_too_many_pages");
  const read = await readPdf(pdf);
  const inside = (t: { x: number; right: number; baseline: number; size: number }, z: typeof ADDRESS_AREA) =>
    t.x < z.right && t.right > z.left && t.baseline - 0.8 * t.size < z.bottom && t.baseline + 0.3 * t.size > z.top;
  const first = read.items.filter((t) => t.page === 1);
  const address = first.filter((t) => inside(t, ADDRESS_AREA)).sort((a, b) => a.baseline - b.baseline).map((t) => t.text);
  if (address.length < 3) issues.push("address_not_recognised");
  if (first.some((t) => inside(t, POSTAGE_AREA))) issues.push("content_in_restricted_area");
  return { address, issues };
}
