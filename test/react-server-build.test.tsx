/**
 * The Worker bundles one React server build (workers/bundle/react-dom-server.cjs, wired by
 * wrangler.toml [alias]): every template must render as it did with react-dom's own edge entry.
 */
import { render } from "@react-email/render";
import { createElement, Suspense, use, type ReactElement } from "react";
import { renderToReadableStream, renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import * as emails from "../emails";
import * as arrangementConfirmation from "../emails/arrangement-confirmation";
import { ReminderLetter } from "../letters";
// react-dom's edge entry (its streaming and its legacy build), by path so the alias stays out.
// @ts-expect-error -- a CommonJS file without a declaration of its own
import * as reactDomEdge from "../node_modules/react-dom/server.edge.js";

type ServerBuild = { renderToReadableStream: typeof renderToReadableStream; renderToStaticMarkup: typeof renderToStaticMarkup };
const field = (o: unknown, key: string): unknown => ((typeof o === "object" && o !== null) || typeof o === "function" ? Reflect.get(o, key) : undefined);
const reference = (field(reactDomEdge, "default") ?? reactDomEdge) as ServerBuild;

/** What @react-email/render does with a server build: one Suspense boundary, read to the end, no doctype. */
async function streamed(build: ServerBuild, element: ReactElement): Promise<string> {
  const stream = await build.renderToReadableStream(createElement(Suspense, null, element), { progressiveChunkSize: Number.POSITIVE_INFINITY });
  await stream.allReady;
  return (await new Response(stream).text()).replace(/<!DOCTYPE.*?>/, "");
}

// Every email template (a component with sample data) in every language.
type Template = (props: Record<string, unknown>) => ReactElement;
const templates = Object.entries<unknown>({ ...emails, ...arrangementConfirmation }).flatMap(([name, value]) => {
  const sample = field(value, "PreviewProps");
  if (name === "default" || typeof value !== "function" || typeof sample !== "object" || sample === null) return [];
  return emails.LOCALES.map((locale) => ({ name: `${name} (${locale})`, element: createElement(value as Template, { ...sample, locale }) }));
});

describe("one React server build in the Worker", () => {
  it("covers the email templates", () => {
    expect(templates.length).toBeGreaterThanOrEqual(2 * emails.LOCALES.length);
  });

  for (const { name, element } of templates) {
    it(`renders ${name} as react-dom's streaming build does`, async () => {
      // The streaming build marks where it hoisted <html>, <head> and <body> for hydration
      // (<!--html--> etc.); the synchronous build hoists nothing. No mail client hydrates.
      const expected = (await streamed(reference, element)).replace(/<!--(html|head|body)-->/g, "");
      expect(await streamed({ renderToReadableStream, renderToStaticMarkup }, element)).toBe(expected);
    });
  }

  it("renders letters with the same static markup", () => {
    for (const locale of emails.LOCALES) {
      const element = createElement(ReminderLetter, { ...ReminderLetter.PreviewProps, locale });
      expect(renderToStaticMarkup(element)).toBe(reference.renderToStaticMarkup(element));
    }
  });

  it("fails a render whose template throws, with the template's own error", async () => {
    function Broken(): ReactElement {
      throw new RangeError("no such currency: XYZ");
    }
    await expect(render(createElement(Broken))).rejects.toThrow("no such currency: XYZ");
  });

  it("fails a render whose template waits for data, instead of sending a half-empty email", async () => {
    function Waits(): ReactElement {
      use(new Promise<never>(() => {}));
      return createElement("p", null, "never");
    }
    await expect(render(createElement(Waits))).rejects.toThrow();
  });

  it("refuses pretty-printed HTML, which would need prettier in the Worker", async () => {
    await expect(render(createElement("p", null, "hi"), { pretty: true })).rejects.toThrow("prettier is not bundled");
  });
});
