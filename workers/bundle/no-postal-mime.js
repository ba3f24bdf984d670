// What the Worker gets for "postal-mime" (wrangler.toml [alias]). The resend SDK imports it for
// one method, emails.receiving.forward (parsing a received email to pass it on), which Kindly never
// calls: Kindly sends reminders and receives no email. 71 KiB of MIME parser stays out of the
// Worker; calling that method anyway fails loudly instead of forwarding something else.
export default class PostalMime {
  static parse() {
    throw new Error("postal-mime is not bundled in the Worker: Kindly does not forward received email");
  }
}
