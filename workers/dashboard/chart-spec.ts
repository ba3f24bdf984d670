/**
 * The charts the dashboard draws, as data: the server writes one of these next to each chart's
 * table, and the client bundle (app-client/charts.ts) draws it with Observable Plot. No imports,
 * so the browser code shares the type without pulling in the Worker's.
 */
export type ChartSpec =
  | { kind: "bars"; x: string[]; series: { name: string; values: number[] }[]; stacked?: boolean; yLabel: string; percent?: boolean }
  | { kind: "lines"; x: string[]; series: { name: string; values: (number | null)[] }[]; yLabel: string; percent?: boolean }
  | { kind: "intervals"; rows: { group: string; label: string; value: number; lo: number; hi: number }[]; xLabel: string }
  | { kind: "scatter"; rows: { x: number; y: number; label: string }[]; xLabel: string; yLabel: string; ticks: string[] }
  | { kind: "timeline"; rows: { lane: string; day: number; label: string }[]; xLabel: string }
  | { kind: "variants"; rows: { date: string; variant: string; rate: number; lo: number; hi: number }[]; yLabel: string };
