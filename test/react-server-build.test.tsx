/**
 * The Worker bundles one React server build (workers/bundle/react-dom-server.cjs, wired by
 * wrangler.toml [alias]): every template must render as it did with react-dom's own edge entry.
 */
import { render } from "@react-email/render";
import { createElement, Suspense, use, type ReactElement } from "react";
import { renderToReadableStream, renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MessageEmail } from "../emails";
import { MessageLetter } from "../letters";
import { hasCopy } from "../workers/templates/copy";
import { TEMPLATE_DEFS, TEMPLATE_KEYS } from "../workers/templates/keys";
import { buildMessage } from "../workers/templates/model";
import { TEMPLATE_LOCALES } from "../workers/templates/registry";
import { sampleInput, sampleLetterParties } from "../workers/templates/samples";
// react-dom's edge entry (its streaming and its legacy build), by path so the alias stays out.
// @ts-expect-error -- a CommonJS file without a declaration of its own
import * as reactDomEdge from "../node_modules/react-dom/server.edge.js";

type ServerBuild = { renderToReadableStream: typeof renderToReadableStream; renderToStaticMarkup: typeof renderToStaticMarkup };
const field = (o: unknown, key: string): unknown => (typeof o === "object" && o !== null ? Reflect.get(o, key) : undefined);
const reference = (field(reactDomEdge, "default") ?? reactDomEdge) as ServerBuild;

/** What @react-email/render does with a server build: one Suspense boundary, read to the end, no doctype. */
async function streamed(build: ServerBuild, element: ReactElement): Promise<string> {
  const stream = await build.renderToReadableStream(createElement(Suspense, null, element), { progressiveChunkSize: Number.POSITIVE_INFINITY });
  await stream.allReady;
  return (await new Response(stream).text()).replace(/<!DOCTYPE.*?>/, "");
}

// Every template of the registry in every language, from its sample data, as email and as letter.
const samples = TEMPLATE_KEYS.filter(hasCopy).flatMap((key) =>
  TEMPLATE_LOCALES.map((locale) => {
    const { sample: _, ...email } = sampleInput(key, locale, "email");
    const letterInput = sampleInput(key, locale, "letter");
    const { sample: __, ...letter } = letterInput;
    return {
      name: `${key} (${locale})`,
      email: createElement(MessageEmail, { model: buildMessage(email) }),
      letter: (TEMPLATE_DEFS[key].channels as readonly string[]).includes("letter")
        ? createElement(MessageLetter, { model: buildMessage(letter), ...sampleLetterParties(letterInput) })
        : null,
    };
  }),
);

describe("one React server build in the Worker", () => {
  it("covers every template in every language", () => {
    expect(samples.length).toBeGreaterThanOrEqual(10 * TEMPLATE_LOCALES.length);
    expect(samples.filter((t) => t.letter).length).toBeGreaterThan(0);
  });

  for (const { name, email } of samples) {
    it(`renders ${name} as react-dom's streaming build does`, async () => {
      // The streaming build marks where it hoisted <html>, <head> and <body> for hydration
      // (<!--html--> etc.); the synchronous build hoists nothing. No mail client hydrates.
      const expected = (await streamed(reference, email)).replace(/<!--(html|head|body)-->/g, "");
      expect(await streamed({ renderToReadableStream, renderToStaticMarkup }, email)).toBe(expected);
    });
  }

  it("renders letters with the same static markup", () => {
    for (const { letter } of samples) if (letter) expect(renderToStaticMarkup(letter)).toBe(reference.renderToStaticMarkup(letter));
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
