/** Shared French words: the non-breaking space French puts before ? ! : ; and the greeting and sign-off. */
const NB = "\u00a0";

/** French constants for the copy modules. */
export const FR = {
  NB,
  greeting: "Bonjour {{name}},",
  signoff: "Bien cordialement,\n{{shop_name}}",
} as const;
