/**
 * Draws the dashboard's charts with Observable Plot (accessible SVG: role img, an aria label from
 * the figure's caption). The data table next to each chart stays in the page, folded into a
 * "show the data" disclosure once the chart is drawn, so no reader loses the numbers.
 */
import * as Plot from "@observablehq/plot";
import type { ChartSpec } from "../workers/dashboard/chart-spec";

/** Colours with at least 3:1 contrast on white (WCAG 1.4.11 for graphical objects). */
export const PALETTE = ["#1d4ed8", "#b45309", "#047857", "#7c3aed", "#be123c", "#0e7490", "#4d7c0f", "#a21caf"];

type Options = Plot.PlotOptions;

function base(width: number, label: string): Options {
  return { width, ariaLabel: label, style: { fontSize: "13px", overflow: "visible" }, color: { range: PALETTE, legend: true }, marginLeft: 56 };
}

/** The Plot options for one chart. */
export function plotOptions(spec: ChartSpec, width: number, label: string): Options {
  const o = base(width, label);
  switch (spec.kind) {
    case "bars": {
      const data = spec.series.flatMap((s) => spec.x.map((x, i) => ({ x, series: s.name, value: s.values[i] ?? 0 })));
      if (spec.stacked) {
        return { ...o, x: { label: null, domain: spec.x, tickRotate: -30 }, y: { label: spec.yLabel, grid: true }, marginBottom: 56, marks: [Plot.barY(data, { x: "x", y: "value", fill: "series", tip: true }), Plot.ruleY([0])] };
      }
      return {
        ...o,
        fx: { label: null, domain: spec.x, tickRotate: -30 },
        x: { axis: null, domain: spec.series.map((s) => s.name) },
        y: { label: spec.yLabel, grid: true, ...(spec.percent ? { percent: true } : {}) },
        marginBottom: 56,
        marks: [Plot.barY(data, { fx: "x", x: "series", y: "value", fill: "series", tip: true }), Plot.ruleY([0])],
      };
    }
    case "lines": {
      const data = spec.series.flatMap((s) => spec.x.map((x, i) => ({ x, i, series: s.name, value: s.values[i] ?? null })));
      const defined = data.filter((d) => d.value !== null);
      return {
        ...o,
        x: { label: null, type: "point", domain: spec.x, tickRotate: -30 },
        y: { label: spec.yLabel, grid: true, ...(spec.percent ? { percent: true, domain: [0, 100] } : {}) },
        marginBottom: 56,
        marks: [Plot.lineY(defined, { x: "x", y: "value", stroke: "series" }), Plot.dot(defined, { x: "x", y: "value", fill: "series", tip: true })],
      };
    }
    case "intervals":
      return {
        ...o,
        marginLeft: 72,
        x: { label: spec.xLabel, percent: true, domain: [0, 100], grid: true },
        fy: { label: null },
        y: { label: null },
        marks: [
          Plot.ruleY(spec.rows, { fy: "group", y: "label", x1: "lo", x2: "hi", stroke: "label", strokeWidth: 3 }),
          Plot.dot(spec.rows, { fy: "group", y: "label", x: "value", fill: "label", r: 5, tip: true }),
        ],
      };
    case "scatter":
      return {
        ...o,
        color: undefined,
        height: 420,
        x: { label: spec.xLabel, domain: [0.5, 3.5], ticks: [1, 2, 3], tickFormat: (d: number) => spec.ticks[d - 1] ?? "" },
        y: { label: spec.yLabel, domain: [0.5, 3.7], ticks: [1, 2, 3], tickFormat: (d: number) => spec.ticks[d - 1] ?? "" },
        marks: [Plot.frame({ stroke: "#9ca3af" }), Plot.dot(spec.rows, { x: "x", y: "y", fill: PALETTE[0], r: 5 }), Plot.text(spec.rows, { x: "x", y: "y", text: "label", dy: -10, fontSize: 11, lineWidth: 14 })],
      };
    case "timeline":
      return {
        ...o,
        color: undefined,
        marginLeft: 110,
        height: Math.max(160, 70 * new Set(spec.rows.map((r) => r.lane)).size),
        x: { label: spec.xLabel, grid: true },
        y: { label: null, domain: [...new Set(spec.rows.map((r) => r.lane))] },
        marks: [
          Plot.ruleX([0], { stroke: "#6b7280" }),
          Plot.dot(spec.rows, { x: "day", y: "lane", fill: PALETTE[0], r: 5, tip: true, title: "label" }),
          Plot.text(spec.rows, { x: "day", y: "lane", text: (d: { label: string }) => d.label.split(":")[0], dy: -12, fontSize: 10, rotate: -20, textAnchor: "start" }),
        ],
      };
    case "variants":
      return {
        ...o,
        x: { label: null, type: "utc" },
        y: { label: spec.yLabel, percent: true, grid: true },
        marks: [
          Plot.areaY(spec.rows, { x: (d: { date: string }) => new Date(d.date), y1: "lo", y2: "hi", fill: "variant", fillOpacity: 0.15 }),
          Plot.lineY(spec.rows, { x: (d: { date: string }) => new Date(d.date), y: "rate", stroke: "variant", strokeWidth: 2, tip: true }),
        ],
      };
  }
}

/** Draws every chart on the page. */
export function drawCharts(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>(".plot[data-chart]")) {
    const source = document.getElementById(el.dataset.chart ?? "");
    if (!source?.textContent) continue;
    const spec = JSON.parse(source.textContent) as ChartSpec;
    const label = el.dataset.label ?? "";
    const width = Math.max(280, Math.min(el.clientWidth || 640, 960));
    const chart = Plot.plot(plotOptions(spec, width, label));
    // One image with the caption as its name; Plot's per-mark labels sit on plain groups, which
    // ARIA does not allow (the table beside the chart carries the numbers).
    const svgs = chart instanceof SVGSVGElement ? [chart] : [...chart.querySelectorAll("svg")];
    for (const svg of svgs) {
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", label);
      for (const g of svg.querySelectorAll("[aria-label]:not(svg)")) g.removeAttribute("aria-label");
      for (const g of svg.querySelectorAll("[aria-description]")) g.removeAttribute("aria-description");
    }
    el.replaceChildren(chart);
    // The table stays, folded: the chart is the summary, the table the exact numbers.
    el.closest("figure")?.querySelector("details.data")?.removeAttribute("open");
  }
}
