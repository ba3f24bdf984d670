// Secrets and optional settings that `wrangler types` cannot see in wrangler.toml.
interface KindlySecrets {
  /** Resend API key; absent means email runs in sandbox mode. */
  RESEND_API_KEY?: string;
  /** Override of Resend's API base URL (contract tests, proxies). */
  RESEND_BASE_URL?: string;
  /** Signs the debtors' self-service links; without it links are off (development has a fixed one). */
  LINK_SIGNING_SECRET?: string;
  /** "on" enables the benchmark baseline route (bench/ only). */
  KINDLY_BENCH?: string;
}
interface Env extends KindlySecrets {}
declare namespace Cloudflare {
  interface Env extends KindlySecrets {}
}
