// A local HTTP fake of Resend's documented POST /emails and POST /emails/batch for the benchmarks
// and the fault proof (the same contract as test/fake-resend.ts, which the contract tests hold to
// Resend's docs): bearer auth, Idempotency-Key (same key and body -> the same ids, nothing sent
// again; same key, other body -> 409), at most 100 emails a batch, strict validation, ids in order.
// It counts every distinct email by its key and place, and by the debtor and outbox tags it
// carries, so "sent once" is counted where it matters: at the provider.
// Faults (probabilities per request): 5xx, 429 with retry-after, a timeout (no answer for longer
// than Kindly waits) and an answer lost after acceptance (the connection is cut).
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";

/** Starts the fake on 127.0.0.1:`port`. */
export function startFakeResend({ port, faults = {}, random = Math.random } = {}) {
  const bodies = new Map();
  const answers = new Map();
  /** Distinct emails accepted, by "debtor/outbox": how many times each was accepted under a new key. */
  const perMessage = new Map();
  const stats = { requests: 0, batchRequests: 0, emails: 0, replays: 0, faults: { "5xx": 0, "429": 0, timeout: 0, lost: 0 } };
  const tagOf = (email, name) => (Array.isArray(email.tags) ? email.tags.find((t) => t.name === name)?.value : undefined) ?? "?";
  const accept = (email) => {
    const k = `${tagOf(email, "tenant")}/${tagOf(email, "debtor")}/${tagOf(email, "outbox")}`;
    perMessage.set(k, (perMessage.get(k) ?? 0) + 1);
    stats.emails++;
    return randomUUID();
  };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      stats.requests++;
      const send = (status, payload, headers = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(payload));
      };
      const raw = Buffer.concat(chunks).toString("utf8");
      if (!/^Bearer re_/.test(req.headers.authorization ?? "")) return send(401, { statusCode: 401, name: "missing_api_key", message: "Missing API key" });
      const batch = req.url === "/emails/batch";
      if (!batch && req.url !== "/emails") return send(404, { statusCode: 404, name: "not_found", message: "Not found" });
      if (batch) stats.batchRequests++;
      const roll = random();
      let edge = 0;
      if (roll < (edge += faults.serverError ?? 0)) { stats.faults["5xx"]++; return send(500, { statusCode: 500, name: "internal_server_error", message: "injected" }); }
      if (roll < (edge += faults.rateLimit ?? 0)) { stats.faults["429"]++; return send(429, { statusCode: 429, name: "rate_limit_exceeded", message: "injected" }, { "retry-after": "1" }); }
      if (roll < (edge += faults.timeout ?? 0)) { stats.faults.timeout++; setTimeout(() => res.destroy(), 20_000); return; }
      const lose = roll < (edge += faults.lostAnswer ?? 0);
      const key = req.headers["idempotency-key"];
      const scope = `${batch ? "batch" : "email"}:${key}`;
      if (key && bodies.has(scope) && bodies.get(scope) !== raw) return send(409, { statusCode: 409, name: "invalid_idempotent_request", message: "Same idempotency key used with a different request payload." });
      let payload;
      try { payload = JSON.parse(raw); } catch { return send(422, { statusCode: 422, name: "validation_error", message: "Invalid JSON" }); }
      const emails = batch ? payload : [payload];
      if (!Array.isArray(emails) || emails.length === 0 || emails.length > 100) return send(422, { statusCode: 422, name: "validation_error", message: "The batch must contain between 1 and 100 emails." });
      if (emails.some((e) => !Array.isArray(e.to) || !e.to.every((t) => /^[^@\s]+@[^@\s]+$/.test(t)))) return send(422, { statusCode: 422, name: "validation_error", message: "Invalid `to` field." });
      let answer = key ? answers.get(scope) : undefined;
      if (answer) stats.replays++;
      else {
        const ids = emails.map(accept);
        answer = batch ? { data: ids.map((id) => ({ id })) } : { id: ids[0] };
        if (key) { answers.set(scope, answer); bodies.set(scope, raw); }
      }
      if (lose) { stats.faults.lost++; res.destroy(); return; }
      send(200, answer);
    });
  });
  server.keepAliveTimeout = 60_000;
  const listening = new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${port}`,
    listening,
    stats,
    /** Distinct messages accepted, and how many were accepted more than once (duplicates). */
    count(prefix = "") {
      let messages = 0, duplicates = 0;
      for (const [k, n] of perMessage) if (k.includes(prefix)) { messages++; duplicates += n - 1; }
      return { messages, duplicates };
    },
    perMessage,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}
