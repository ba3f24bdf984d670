/**
 * Live preview for the template editor: while a marketer types, the draft is sent to the preview
 * endpoint (debounced) and the rendered message replaces the frame's content. Without JavaScript
 * the editor's "Preview" button does the same with a full page load.
 */

/** Wires every form marked `data-live-preview` to its preview frame. */
export function enhancePreviews(root: ParentNode = document): void {
  for (const form of root.querySelectorAll<HTMLFormElement>("form[data-live-preview]")) {
    const frame = document.getElementById(form.dataset.livePreview ?? "") as HTMLIFrameElement | null;
    const url = form.dataset.previewUrl;
    const status = form.querySelector<HTMLElement>("[data-preview-status]");
    if (!frame || !url) continue;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let seq = 0;
    const refresh = async () => {
      const mine = ++seq;
      const res = await fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin", headers: { accept: "text/html" } });
      if (mine !== seq) return; // a newer draft is on its way
      const html = await res.text();
      frame.srcdoc = html;
      if (status) status.textContent = decodeURIComponent(res.headers.get("x-lint-summary") ?? "");
    };
    form.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => void refresh().catch(() => undefined), 400);
    });
  }
}
