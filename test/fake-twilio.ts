/**
 * A local fake of Twilio's documented POST /2010-04-01/Accounts/{AccountSid}/Messages.json:
 * form-encoded, Basic auth AccountSid:AuthToken (401 / 20003), 201 with the Message resource,
 * errors as `{ code, message, more_info, status }`: 21211 invalid To, 21614 not a mobile number,
 * 21610 unsubscribed recipient, 21602/21603/21604 missing fields, 21624 ValidityPeriod out of
 * 1..36000, 429 / 20429 (optionally with Retry-After), 5xx and network failures on demand.
 * Twilio has no idempotency key: every accepted request is a new message.
 */
export interface FakeTwilioMessage {
  sid: string;
  to: string;
  from: string | null;
  messaging_service_sid: string | null;
  body: string;
  status: "queued" | "accepted";
}

/** An answer to give instead of normal service; `retryAfter` becomes a Retry-After header. */
export type TwilioFailure = "network" | number | { status: number; code: number; message?: string; retryAfter?: string };

export interface FakeTwilio {
  fetch: typeof fetch;
  requests: { url: string; headers: Headers; form: Record<string, string> }[];
  /** Messages Twilio accepted (what "sent once" is counted by). */
  messages: FakeTwilioMessage[];
  /** Answers to give to the next requests, in order, before normal service. */
  failNext: TwilioFailure[];
  /** Numbers that replied STOP to our sender. */
  optedOut: Set<string>;
  /** Valid numbers that cannot take SMS (landlines). */
  landlines: Set<string>;
}

const E164 = /^\+[1-9]\d{6,14}$/;

export function fakeTwilio(baseUrl: string, accountSid: string, authToken: string): FakeTwilio {
  const path = `${baseUrl}/2010-04-01/Accounts/${accountSid}/Messages.json`;
  const json = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(payload), { status, headers: { "content-type": "application/json", ...headers } });
  const error = (status: number, code: number, message: string, headers: Record<string, string> = {}) =>
    json(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);

  const fake: FakeTwilio = {
    requests: [],
    messages: [],
    failNext: [],
    optedOut: new Set(),
    landlines: new Set(),
    fetch: async (input, init) => {
      const req = new Request(input, init);
      if (!req.url.startsWith(baseUrl)) throw new Error(`unexpected fetch to ${req.url}`);
      const form = Object.fromEntries(new URLSearchParams(new TextDecoder().decode(await req.arrayBuffer())));
      fake.requests.push({ url: req.url, headers: req.headers, form });
      if (req.headers.get("authorization") !== `Basic ${btoa(`${accountSid}:${authToken}`)}`) return error(401, 20003, "Authenticate");
      if (req.method !== "POST" || req.url !== path) return error(404, 20404, "The requested resource was not found");
      if (!req.headers.get("content-type")?.startsWith("application/x-www-form-urlencoded")) return error(400, 21604, "A 'To' phone number is required.");

      const failure = fake.failNext.shift();
      if (failure === "network") throw new TypeError("fetch failed");
      if (failure === 429) return error(429, 20429, "Too Many Requests");
      if (typeof failure === "number") return error(failure, 20500, "Internal Server Error");
      if (failure) return error(failure.status, failure.code, failure.message ?? "Error", failure.retryAfter ? { "retry-after": failure.retryAfter } : {});

      const to = form.To ?? "";
      if (!to) return error(400, 21604, "A 'To' phone number is required.");
      if (!form.From && !form.MessagingServiceSid) return error(400, 21603, "A 'From' phone number is required.");
      if (!form.Body) return error(400, 21602, "Message body is required.");
      if (!E164.test(to)) return error(400, 21211, `Invalid 'To' Phone Number: ${to}`);
      if (fake.landlines.has(to)) return error(400, 21614, `'To' number ${to} is not a valid mobile number`);
      if (fake.optedOut.has(to)) return error(400, 21610, "Attempt to send to unsubscribed recipient");
      if (form.ValidityPeriod !== undefined) {
        const v = Number(form.ValidityPeriod);
        if (!Number.isInteger(v) || v < 1 || v > 36_000) return error(400, 21624, "Invalid validity period value");
      }

      const hex = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
      const message: FakeTwilioMessage = {
        sid: `SM${hex}`,
        to,
        from: form.From ?? null,
        messaging_service_sid: form.MessagingServiceSid ?? null,
        body: form.Body,
        // A Messaging Service answers "accepted" and picks the sender later; a plain number "queued".
        status: form.From ? "queued" : "accepted",
      };
      fake.messages.push(message);
      return json(201, {
        ...message,
        account_sid: accountSid,
        api_version: "2010-04-01",
        direction: "outbound-api",
        num_segments: "1",
        error_code: null,
        error_message: null,
        price: null,
        date_created: new Date().toUTCString(),
        uri: `/2010-04-01/Accounts/${accountSid}/Messages/${message.sid}.json`,
      });
    },
  };
  return fake;
}
