/**
 * The report's charts as SVG, from Vega-Lite specs rendered headless by Vega (no browser, no
 * canvas). Node only: the CLI writes them next to report.md.
 */
import * as vega from "vega";
import * as vl from "vega-lite";
import type { Summary } from "./metrics";
import { MODES, type PolicyMode } from "./policies";

const NAMES: Record<PolicyMode, string> = { fixed: "Fixed ladder", kindly: "Kindly", oracle: "Oracle" };
const COLORS = { domain: MODES.map((m) => NAMES[m]), range: ["#9e9e9e", "#2e7d32", "#1565c0"] };
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

async function toSvg(spec: vl.TopLevelSpec): Promise<string> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return `${svg}\n`;
}

function outcomesSpec(s: Summary): vl.TopLevelSpec {
  const values = MODES.map((m) => ({ policy: NAMES[m], cost: s.overall[m].costPerPaid ?? 0, paid: 100 * s.overall[m].paid }));
  const bar = (field: string, title: string) => ({
    width: 220,
    height: 160,
    mark: { type: "bar" as const },
    encoding: {
      x: { field: "policy", type: "nominal" as const, sort: COLORS.domain, axis: { labelAngle: 0, title: null } },
      y: { field, type: "quantitative" as const, title },
      color: { field: "policy", type: "nominal" as const, scale: COLORS, legend: null },
    },
  });
  return { $schema: "https://vega.github.io/schema/vega-lite/v6.json", data: { values }, hconcat: [bar("cost", "Cost per paid invoice (EUR)"), bar("paid", "Paid (%)")] };
}

function learningSpec(s: Summary): vl.TopLevelSpec {
  const values = s.months.flatMap((m) => [
    { month: MONTHS[m.month], measure: "Cost per paid invoice", closed: m.gap.costPerPaid === null ? null : 100 * m.gap.costPerPaid },
    { month: MONTHS[m.month], measure: "Paid rate", closed: m.gap.paid === null ? null : 100 * m.gap.paid },
  ]);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Share of the fixed-to-oracle gap Kindly closes, by month",
    width: 480,
    height: 220,
    data: { values },
    layer: [
      {
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "month", type: "ordinal", sort: MONTHS, title: "Month the invoices fell due" },
          y: { field: "closed", type: "quantitative", title: "Gap closed (%)", scale: { domain: [0, 100] } },
          color: { field: "measure", type: "nominal", legend: { orient: "bottom", title: null, labelLimit: 0 } },
        },
      },
      { mark: { type: "rule", strokeDash: [4, 4] }, encoding: { y: { datum: 80 } } },
    ],
  };
}

function paidByDaySpec(s: Summary): vl.TopLevelSpec {
  const values = MODES.flatMap((m) => s.paidByDay[m].map((share, day) => ({ policy: NAMES[m], day, paid: 100 * share })));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Share of invoices paid, by days after the due date",
    width: 480,
    height: 220,
    data: { values },
    mark: { type: "line" },
    encoding: {
      x: { field: "day", type: "quantitative", title: "Days after the due date" },
      y: { field: "paid", type: "quantitative", title: "Paid (%)" },
      color: { field: "policy", type: "nominal", scale: COLORS, legend: { orient: "bottom", title: null } },
    },
  };
}

/** The report's charts by file name (under `charts/`). */
export async function renderCharts(s: Summary): Promise<Record<string, string>> {
  return {
    "outcomes.svg": await toSvg(outcomesSpec(s)),
    "learning-curve.svg": await toSvg(learningSpec(s)),
    "paid-by-day.svg": await toSvg(paidByDaySpec(s)),
  };
}
