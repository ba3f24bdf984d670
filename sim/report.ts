/**
 * The report as Markdown: the headline (the share of the fixed-to-oracle gap Kindly closes),
 * the learning curve, outcomes per policy and persona, the struggling and protected checks,
 * the cost model per 10,000 invoices and the hard-limit counts. Deterministic text: the same
 * summary always gives the same bytes (no dates, no run times).
 */
import type { OutcomeRow, Summary } from "./metrics";
import { MODES, type PolicyMode } from "./policies";
import { CONTACT_CHANNELS } from "./records";

const NAMES: Record<PolicyMode, string> = { fixed: "Fixed ladder (bol.com)", kindly: "Kindly (adaptive)", oracle: "Oracle (ceiling)" };
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Thousands separated by commas, the same bytes on every runtime (no locale data involved). */
const grouped = (fixed: string) => fixed.replace(/^(-?\d+)/, (whole) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, ","));
const pct = (x: number | null) => (x === null ? "–" : `${(100 * x).toFixed(1)}%`);
const eur = (x: number | null) => (x === null ? "–" : `€${grouped(x.toFixed(2))}`);
const num = (x: number | null, digits = 1) => (x === null ? "–" : x.toFixed(digits));
const int = (x: number) => grouped(Math.round(x).toFixed(0));

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map((_, i) => (i === 0 ? "---" : "---:"))), ...rows.map(line)].join("\n");
}

function outcomeTable(rows: Record<PolicyMode, OutcomeRow>): string {
  return table(
    ["Policy", "Invoices", "Paid ≤30 d", "Paid ≤60 d", "Paid", "Median days to pay", "Cost per paid invoice", "Contacts per debtor", "Letters /1000", "SMS /1000", "Calls /1000", "Handed over", "Complaints /1000"],
    MODES.map((m) => {
      const r = rows[m];
      return [NAMES[m], int(r.invoices), pct(r.paid30), pct(r.paid60), pct(r.paid), num(r.medianDaysToPay), eur(r.costPerPaid), num(r.contactsPerDebtor, 2), int(r.lettersPer1000), int(r.smsPer1000), int(r.callsPer1000), pct(r.handoverRate), num(r.complaintsPer1000)];
    }),
  );
}

/** The headline sentence and table, also what `POST /v1/policy/simulate` answers with. */
export function headline(s: Summary): string {
  const g = s.gap;
  const k = s.overall.kindly;
  const f = s.overall.fixed;
  const paidVsFixed = k.paid >= f.paid ? "at least the fixed ladder's" : "below the fixed ladder's";
  return [
    `Kindly closes **${pct(g.costPerPaid)}** of the gap between the fixed ladder and the oracle in cost per paid invoice (${eur(f.costPerPaid)} → ${eur(k.costPerPaid)}; oracle ${eur(s.overall.oracle.costPerPaid)}) and **${pct(g.paid)}** of the gap in paid rate (${pct(f.paid)} → ${pct(k.paid)}; oracle ${pct(s.overall.oracle.paid)}), with a paid rate ${paidVsFixed} (±${pct(s.paidStandardError)} standard error).`,
    "",
    outcomeTable(s.overall),
  ].join("\n");
}

function learningCurve(s: Summary): string {
  return table(
    ["Month due", "Invoices", "Gap closed: cost per paid", "Gap closed: paid rate", "Kindly cost per paid", "Fixed", "Oracle"],
    s.months.map((m) => [MONTHS[m.month] ?? String(m.month), int(m.invoices), pct(m.gap.costPerPaid), pct(m.gap.paid), eur(m.rows.kindly.costPerPaid), eur(m.rows.fixed.costPerPaid), eur(m.rows.oracle.costPerPaid)]),
  );
}

function personaTables(s: Summary): string {
  return s.personas.map((p) => [`### ${p.key}`, "", p.description, "", outcomeTable(p.rows)].join("\n")).join("\n\n");
}

function letterTiming(s: Summary): string {
  return table(
    ["Persona", ...MODES.map((m) => NAMES[m])],
    s.personas.map((p) => [p.key, ...MODES.map((m) => num(p.rows[m].medianFirstLetterDay))]),
  );
}

function groupTables(s: Summary): string {
  return s.groups
    .map((g) => {
      const rows = MODES.map((m) => {
        const r = g.rows[m];
        return [NAMES[m], int(r.invoices), num(r.contactsPerDebtor, 2), pct(r.helpOffered), pct(r.helpRequested), pct(r.arranged), pct(r.handoverRate), pct(r.paid)];
      });
      const verdict = g.rows.kindly.invoices === 0 ? "No such debtors in this run." : g.neverWorseOff ? "Never worse off under Kindly: no more contacts, no more handovers, at least as much help taken up." : "**Worse off under Kindly on at least one of: contacts, handovers, help taken up.**";
      return [`### ${g.label}`, "", table(["Policy", "Invoices", "Contacts per debtor", "Help offered", "Help asked", "Arranged", "Handed over", "Paid"], rows), "", verdict].join("\n");
    })
    .join("\n\n");
}

function costModelTable(s: Summary): string {
  const rows: string[][] = [];
  const c = s.costModel;
  for (const ch of CONTACT_CHANNELS) rows.push([`${ch} (count)`, ...MODES.map((m) => int(c[m].contacts[ch]))]);
  for (const ch of CONTACT_CHANNELS) rows.push([`${ch} cost`, ...MODES.map((m) => eur(c[m].channelCostEuro[ch]))]);
  rows.push(["Call-centre minutes", ...MODES.map((m) => int(c[m].callMinutes))]);
  rows.push(["Handovers", ...MODES.map((m) => int(c[m].handovers))]);
  rows.push(["Handover cost", ...MODES.map((m) => eur(c[m].handoverCostEuro))]);
  rows.push(["**Total cost** (incl. arrangement confirmations)", ...MODES.map((m) => `**${eur(c[m].totalCostEuro)}**`)]);
  rows.push(["Invoices paid", ...MODES.map((m) => int(c[m].paid))]);
  rows.push(["Amount recovered", ...MODES.map((m) => eur(c[m].recoveredEuro))]);
  rows.push(["Amount handed over", ...MODES.map((m) => eur(c[m].handedOverEuro))]);
  return table(["Per 10,000 invoices", ...MODES.map((m) => NAMES[m])], rows);
}

function limitsTable(s: Summary): string {
  const keys = ["quietHours", "budget", "costsBeforeTerm", "protectedEscalated", "afterPaymentKnown"] as const;
  const label = { quietHours: "Outside contact hours, Sundays, holidays", budget: "Over the contact budget", costsBeforeTerm: "Costs before the legal term", protectedEscalated: "Protected debtor escalated or handed over", afterPaymentKnown: "After the payment was known" };
  return table(
    ["Hard limit (violations)", ...MODES.map((m) => NAMES[m])],
    [["Contacts checked", ...MODES.map((m) => int(s.limits[m].contacts))], ["Steps that charged costs (checked)", ...MODES.map((m) => int(s.limits[m].charged))], ...keys.map((k) => [label[k], ...MODES.map((m) => int(s.limits[m][k]))])],
  );
}

function choiceTable(s: Summary): string {
  return table(
    ["Policy", "Mean true chance per euro of the channel chosen", "Best possible at the same points"],
    (["kindly", "oracle"] as const).map((m) => [NAMES[m], num(s.overall[m].choiceValue, 3), num(s.overall[m].choiceBest, 3)]),
  );
}

/** The whole report. */
export function renderReport(s: Summary): string {
  return [
    `# Kindly simulation: ${s.population}`,
    "",
    `${int(s.debtors)} simulated debtors, seed \`${s.seed}\`, one simulated year of overdue invoices. The same debtors and the same random draws under each policy.`,
    "",
    "## Headline",
    "",
    headline(s),
    "",
    "![Cost per paid invoice and paid rate](charts/outcomes.svg)",
    "",
    "## Learning curve",
    "",
    "Kindly starts cold (no tenant priors, no debtor history) and learns from the simulated outcomes as production does. The share of the gap it closes, by the month the invoices fell due:",
    "",
    "![Learning curve](charts/learning-curve.svg)",
    "",
    learningCurve(s),
    "",
    "![Share paid by days after the due date](charts/paid-by-day.svg)",
    "",
    "## Per persona",
    "",
    personaTables(s),
    "",
    "### When the first letter goes out (median days after the due date)",
    "",
    letterTiming(s),
    "",
    "## Struggling and protected debtors",
    "",
    groupTables(s),
    "",
    "## Cost model (rekenmodel) per 10,000 invoices",
    "",
    costModelTable(s),
    "",
    "## Is the ceiling a ceiling?",
    "",
    "At each point where a channel is chosen, the true chance of payment per euro (with the channel mix's cost floor) of what was sent, and of the best the same candidates allowed:",
    "",
    choiceTable(s),
    "",
    "## Hard limits, checked on every simulated contact",
    "",
    limitsTable(s),
    "",
    "## How to read this",
    "",
    "- **Paid** counts invoices paid in full to the shop (directly or by an arrangement's last instalment) before any handover, within the simulation; cancelled invoices (a dispute upheld) are left out of the shares.",
    "- **Cost per paid invoice** is all contact costs (prices from the tenant policy), arrangement confirmations and handover costs, divided by the invoices paid.",
    "- **Gap closed** is (fixed − Kindly) / (fixed − oracle) for cost per paid invoice, and (Kindly − fixed) / (oracle − fixed) for the paid rate; – where the oracle is not ahead of the fixed ladder by more than noise.",
    "- **The oracle** runs the tenant's ladder through the same engine and limits, and at every choice point (every reminder except the paper letter, the legal letters and the calls) sends what the debtor's true chances make best per euro.",
    "",
  ].join("\n");
}
