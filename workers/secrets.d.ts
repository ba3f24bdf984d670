// Secrets and optional settings that `wrangler types` cannot see in wrangler.toml.
interface KindlySecrets {
  /** Resend API key; absent means email runs in sandbox mode. */
  RESEND_API_KEY?: string;
  /** Override of Resend's API base URL (contract tests, proxies). */
  RESEND_BASE_URL?: string;
  /** Signs the debtors' self-service links; without it links are off (development has a fixed one). */
  LINK_SIGNING_SECRET?: string;
  /** Verifies Resend's (Svix-signed) delivery webhooks: `whsec_...`. */
  RESEND_WEBHOOK_SECRET?: string;
  /** Twilio: sending (with TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID) and X-Twilio-Signature checks. */
  TWILIO_ACCOUNT_SID?: string;
  TWILIO_AUTH_TOKEN?: string;
  TWILIO_FROM?: string;
  TWILIO_MESSAGING_SERVICE_SID?: string;
  TWILIO_BASE_URL?: string;
  /** Lob print-and-mail: `test_...` or `live_...`; absent means letters run in sandbox mode. */
  LOB_API_KEY?: string;
  LOB_BASE_URL?: string;
  LOB_WEBHOOK_SECRET?: string;
  /**
   * Pingen print-and-mail (EU post, A4 PDF): an OAuth client (client credentials) of the platform's
   * Pingen organisation, and the signing key of its letter webhooks. PINGEN_BASE_URL: the API
   * (https://api.pingen.com; https://api-staging.pingen.com validates but never posts).
   */
  PINGEN_CLIENT_ID?: string;
  PINGEN_CLIENT_SECRET?: string;
  PINGEN_ORGANISATION_ID?: string;
  PINGEN_WEBHOOK_SECRET?: string;
  PINGEN_BASE_URL?: string;
  /** Pingen's delivery product for letters: "fast" (default), "cheap", "bulk" or "premium". */
  PINGEN_DELIVERY_PRODUCT?: string;
  /** What one posted letter costs, in cents, when the print API does not say. */
  LETTER_COST_CENTS?: string;
  /** Signs short-lived in-app banner tokens (development has a fixed one). */
  BANNER_SIGNING_SECRET?: string;
  /** Provider pacing when live, requests per second: "email=2,sms=1,letter=10" (defaults shown). */
  DISPATCH_RATES?: string;
  /** First retry delay after a failed send, in ms (default 60000; tests use less). */
  DISPATCH_RETRY_BASE_MS?: string;
  /**
   * "sandbox" keeps every tenant's messages in the sandbox outbox, whatever the tenant chose (a
   * staging copy can never reach real people). Unset: each tenant's delivery_mode decides.
   */
  DELIVERY_MODE?: string;
  /** The platform admin key (POST /v1/admin/tenants ...); without it the admin API refuses. At least 32 characters. */
  ADMIN_API_KEY?: string;
  /**
   * Keys that encrypt secrets at rest (webhook signing secrets), AES-256-GCM: "id:base64key", comma
   * separated, the first encrypts and all decrypt (rotation). Development has a fixed one.
   */
  DATA_ENCRYPTION_KEYS?: string;
  /** Keys the phone index (HMAC-SHA256), so a copy of D1 reveals no phone number. Development has a fixed one. */
  PHONE_INDEX_SECRET?: string;
  /** "on" enables the benchmark baseline route (bench/ only). */
  KINDLY_BENCH?: string;
}
interface Env extends KindlySecrets {}
declare namespace Cloudflare {
  interface Env extends KindlySecrets {}
}
