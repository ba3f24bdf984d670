import { render } from "@react-email/render";
import { createElement } from "react";
export class DebtorDO {}
export default {
  async fetch() {
    const html = await render(createElement("p", null, "hallo"));
    return new Response(html);
  },
} satisfies ExportedHandler<Env>;
