// Request generators for the HTTP fuzzer (fuzz/fuzz.mjs): every operation in /openapi.json with
// valid bodies (json-schema-faker from the operation's own schema, or a realistic one where the
// schema alone rarely passes the business rules), mutated bodies, and hostile headers, methods,
// paths and tokens. All randomness comes from one seeded generator, so a run can be replayed.
import { createGeneratorSync } from "json-schema-faker";

/** mulberry32: a small seeded PRNG (the same one json-schema-faker uses). */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    weighted: (table) => {
      const total = table.reduce((s, [w]) => s + w, 0);
      let x = next() * total;
      for (const [w, v] of table) if ((x -= w) < 0) return v;
      return table[table.length - 1][1];
    },
  };
  return r;
}

const day = (offset) => new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10);

// Strings that have broken parsers, routers and databases before.
export const NASTY = [
  "", " ", "\u0000", "null", "undefined", "NaN", "-1", "0", "1e309", "[]", "{}", "'", '"', "\\", "%", "%00", "%2e%2e%2f", "../../etc/passwd",
  "' OR 1=1 --", "\"; DROP TABLE invoice_index; --", "<script>alert(1)</script>", "${7*7}", "{{7*7}}", "\u202e", "\ud800", "😀".repeat(40),
  "a".repeat(129), "a".repeat(5000), "\r\nX-Injected: 1", "inv_", "inv_" + "x".repeat(60), "kind_test_", "__proto__", "constructor",
];

/** A value of a different JSON type than `value`, or an extreme one of the same type. */
function mutateValue(value, r) {
  const options = [null, true, 0, -1, 2 ** 53, 1.5, -1e300, "", r.pick(NASTY), [], {}, [value], { value }];
  if (typeof value === "number") options.push(value + 1, -value, value * 1e6, Number.MAX_SAFE_INTEGER);
  if (typeof value === "string") options.push(value + r.pick(NASTY), value.toUpperCase(), value.slice(1));
  return r.pick(options);
}

/** A copy of `body` with one to three mutations: a field removed, retyped, added, or the whole body replaced. */
export function mutateBody(body, r) {
  let out = structuredClone(body);
  for (let n = r.int(1, 3); n > 0; n--) {
    const paths = [];
    (function walk(node, path) {
      if (node && typeof node === "object") for (const k of Object.keys(node)) { paths.push([...path, k]); walk(node[k], [...path, k]); }
    })(out, []);
    const kind = r.pick(["drop", "retype", "retype", "extra", "whole"]);
    if (kind === "whole" || paths.length === 0) { out = mutateValue(out, r); continue; }
    const path = r.pick(paths);
    const parent = path.slice(0, -1).reduce((o, k) => o[k], out);
    const key = path[path.length - 1];
    if (kind === "drop") delete parent[key];
    else if (kind === "retype") parent[key] = mutateValue(parent[key], r);
    else parent[r.pick(["status", "paid_cents", "tenant_id", "id", "__proto__", "x".repeat(r.int(1, 40))])] = mutateValue(parent[key], r);
    if (out === null || typeof out !== "object") break;
  }
  return out;
}

/** Operations of the OpenAPI document: method, path template, parameters and body schema. */
export function operationsOf(doc) {
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const schema = op.requestBody?.content?.["application/json"]?.schema;
      ops.push({ method: method.toUpperCase(), path, params: op.parameters ?? [], schema, bodyRequired: Boolean(op.requestBody?.required) });
    }
  }
  return ops;
}

/** json-schema-faker over the document's schemas, seeded. */
export function schemaFaker(doc, seed) {
  const gen = createGeneratorSync({ seed, optionalsProbability: 0.5, maxLength: 40 });
  return (schema) => gen.generate({ ...schema, components: doc.components });
}

/** A realistic invoice that the business rules accept: due in the future, so no reminder is sent during the run. */
export function validInvoice(r, debtorId, merchantId) {
  const due = r.int(3, 40);
  const debtor = { id: debtorId, name: r.pick(["Sanne de Vries", "Lotte Peeters", "Élodie Dubois", "Jan"]), email: `${debtorId}@example.nl`, locale: r.pick(["nl-NL", "nl-BE", "fr-BE", "en"]) };
  if (r.chance(0.5)) debtor.time_zone = r.pick(["Europe/Amsterdam", "Europe/Brussels"]);
  if (r.chance(0.3)) debtor.phone = `+316${r.int(10000000, 99999999)}`;
  if (r.chance(0.3)) debtor.address = { line1: "Dorpsstraat 1", postal_code: "1234 AB", city: "Utrecht", country: "NL" };
  return {
    merchant_invoice_id: merchantId,
    debtor,
    amount_cents: r.int(1, 500_000),
    currency: "EUR",
    issue_date: day(due - r.int(14, 30)),
    due_date: day(due),
    pay_url: `https://shop.example/pay/${merchantId}`,
  };
}

/** Percent-encodes a path segment; a lone surrogate becomes the invalid UTF-8 bytes it would be. */
export function encodeSegment(value) {
  return value.replace(/[\ud800-\udfff]/g, "\u0000SURROGATE\u0000").split("\u0000SURROGATE\u0000").map(encodeURIComponent).join("%ED%A0%80");
}

/** Fills a path template: known ids most of the time, else something hostile. */
export function fillPath(template, r, known) {
  return template.replace(/\{(\w+)\}/g, (_, name) => {
    const pool = known[name] ?? [];
    const value = pool.length && r.chance(0.8) ? r.pick(pool) : r.pick([...NASTY, "cust-1", "inv_doesnotexist", "x".repeat(65)]);
    return encodeSegment(value);
  });
}

/** Paths no route serves, or serves only with other methods, including traversal and encoding tricks. */
export const HOSTILE_PATHS = [
  "/", "/v1", "/v1/", "/v2/invoices", "/v1/invoices/", "/v1//invoices", "/v1/invoices/%2e%2e/debtors", "/v1/invoices/..%2f..%2fdev%2fclock",
  "/V1/INVOICES", "/v1/invoices?x=" + "a".repeat(3000), "/openapi.json", "/docs", "/dev/clock", "/dev/clock/advance", "/dev/seed", "/dev/stats",
  "/sandbox", "/sandbox/preview", "/sandbox/preview/reminder-friendly/en", "/bench/do-read/x", "/webhooks/resend", "/webhooks/twilio", "/webhooks/lob",
  "/d/", "/d/abc", "/d/abc.def", "/l/ABCD-EFGH", "/l/" + "Z".repeat(300), "/%00", "/.env", "/wp-login.php", "/v1/banner", "/v1/banner/events",
];
