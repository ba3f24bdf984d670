/** Shared English words: the greeting and the sign-off of every English message. */
export const EN = {
  greeting: "Dear {{name}},",
  signoff: "Kind regards,\n{{shop_name}}",
} as const;
