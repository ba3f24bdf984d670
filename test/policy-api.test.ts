/**
 * /v1/policy as a merchant uses it: read the default, store a new version, get told about every
 * mistake at once, never see another tenant's policy, and read the social-collection scorecard.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../workers/policy/default-policy";
import { call, DAY, invoiceBody, newDebtorId, newTenant, register } from "./helpers";

type Policy = Record<string, unknown> & {
  version: number;
  segments: { key: string; ladder: string; when: unknown[] }[];
  ladders: Record<string, { steps: Record<string, unknown>[] }>;
  costs: Record<string, unknown>;
  contact_budget: Record<string, unknown>;
};
interface Envelope {
  version: number;
  is_default: boolean;
  updated_at: string | null;
  policy: Policy;
}
interface Problem {
  status: number;
  code: string;
  errors?: { field: string; message: string }[];
}
type Level = "laggard" | "on_the_way" | "frontrunner";
interface Criterion {
  key: string;
  level: Level | null;
  basis: "setting" | "built_in" | "self_assessed";
  reads: string[];
  self_assessment: { position: Level | null; ambitions: Record<string, Level>; note: string | null } | null;
  influenced_by_kindly: boolean;
  why: string;
  to_improve: string | null;
}
interface Scorecard {
  version: number;
  overall: Level;
  themes: { theme: string; criteria: Criterion[] }[];
}

const getPolicy = async (key: string): Promise<Envelope> => {
  const res = await call(key, "GET", "/v1/policy");
  expect(res.status).toBe(200);
  return (await res.json()) as Envelope;
};
const putPolicy = (key: string, policy: unknown) => call(key, "PUT", "/v1/policy", policy);
const scoreOf = async (key: string): Promise<Scorecard> => {
  const res = await call(key, "GET", "/v1/policy/score");
  expect(res.status).toBe(200);
  return (await res.json()) as Scorecard;
};
const criteria = (s: Scorecard) => s.themes.flatMap((t) => t.criteria);
const criterion = (s: Scorecard, key: string) => {
  const c = criteria(s).find((x) => x.key === key);
  if (!c) throw new Error(`no criterion ${key}`);
  return c;
};
/** A deep copy of a policy, edited. */
const edited = (p: Policy, edit: (copy: Policy) => void): Policy => {
  const copy = structuredClone(p);
  edit(copy);
  return copy;
};

describe("reading and replacing the policy", () => {
  it("a new tenant runs on the default, as version 0", async () => {
    const t = await newTenant();
    const live = await getPolicy(t.key);
    expect(live.version).toBe(0);
    expect(live.is_default).toBe(true);
    expect(live.updated_at).toBeNull();
    expect(live.policy).toEqual(JSON.parse(JSON.stringify(DEFAULT_POLICY)));
  });

  it("PUT version 1 stores it, GET returns it; a stale or skipped version is a 409 and changes nothing", async () => {
    const t = await newTenant();
    const { policy } = await getPolicy(t.key);
    const v1 = edited(policy, (p) => {
      p.version = 1;
      p.already_paid_pause_days = 10;
    });
    const put = await putPolicy(t.key, v1);
    expect(put.status).toBe(200);
    expect(((await put.json()) as Envelope).version).toBe(1);

    let live = await getPolicy(t.key);
    expect(live.version).toBe(1);
    expect(live.is_default).toBe(false);
    expect(live.updated_at).not.toBeNull();
    expect(live.policy.already_paid_pause_days).toBe(10);
    expect(live.policy).toEqual(v1);

    // A second editor who also started from version 0 sends version 1 again.
    const stale = await putPolicy(t.key, { ...v1, already_paid_pause_days: 3 });
    expect(stale.status).toBe(409);
    expect(stale.headers.get("content-type")).toContain("application/problem+json");
    expect(((await stale.json()) as Problem).errors?.map((e) => e.field)).toContain("version");
    // Skipping a version is refused too.
    expect((await putPolicy(t.key, { ...v1, version: 3 })).status).toBe(409);

    live = await getPolicy(t.key);
    expect(live.version).toBe(1);
    expect(live.policy.already_paid_pause_days).toBe(10);

    // The next version in line is accepted.
    expect((await putPolicy(t.key, { ...v1, version: 2, already_paid_pause_days: 5 })).status).toBe(200);
    expect((await getPolicy(t.key)).policy.already_paid_pause_days).toBe(5);
  });

  it("an invalid policy answers 422 problem+json naming every problem at its path, and stores nothing", async () => {
    const t = await newTenant();
    const { policy } = await getPolicy(t.key);
    const last = policy.segments.length - 1;
    const bad = edited(policy, (p) => {
      p.version = 1;
      (p.contact_budget as Record<string, unknown>).max_per_week = 9; // at most 7
      p.debt_counselling_stop_days = 10; // at least 30 (NVVK: 240)
      p.costs.be_later_reminder_fee_cents = 1000; // Book XIX: at most 750
      p.quiet_hours_override = { start_hour: 22, end_hour: 6 }; // looser than 20:00-07:00 on both ends
      (p.segments[last] as { ladder: string }).ladder = "no_such_ladder";
      (p.ladders.standard_nl?.steps[1] as Record<string, unknown>).channels = ["fax"];
      p.colour = "pink"; // unknown field
    });
    const res = await putPolicy(t.key, bad);
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = (await res.json()) as Problem;
    expect(body.code).toBe("validation_failed");
    const fields = (body.errors ?? []).map((e) => e.field);
    // Every problem, each once, and nothing else.
    expect([...fields].sort()).toEqual(
      [
        "contact_budget.max_per_week",
        "debt_counselling_stop_days",
        "costs.be_later_reminder_fee_cents",
        "quiet_hours_override.start_hour",
        "quiet_hours_override.end_hour",
        `segments.${last}.ladder`,
        "ladders.standard_nl.steps.1.channels.0",
        "colour",
      ].sort(),
    );
    for (const e of body.errors ?? []) expect(e.message.length).toBeGreaterThan(0);

    const live = await getPolicy(t.key);
    expect(live.version).toBe(0);
    expect(live.is_default).toBe(true);
  });

  it("a tenant never sees another tenant's policy, and their versions are independent", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const { policy } = await getPolicy(a.key);
    expect((await putPolicy(a.key, { ...policy, version: 1, debt_counselling_stop_days: 365 })).status).toBe(200);

    const seenByB = await getPolicy(b.key);
    expect(seenByB.version).toBe(0);
    expect(seenByB.is_default).toBe(true);
    expect(seenByB.policy.debt_counselling_stop_days).toBe(240);
    expect((await scoreOf(b.key)).version).toBe(0);

    // B's own version 1 is not a conflict with A's.
    expect((await putPolicy(b.key, { ...policy, version: 1, already_paid_pause_days: 4 })).status).toBe(200);
    expect((await getPolicy(a.key)).policy.already_paid_pause_days).toBe(7);
    expect((await getPolicy(a.key)).policy.debt_counselling_stop_days).toBe(365);
  });

  it("the stored policy drives the reminders: an already-paid pause lasts the tenant's days", async () => {
    const t = await newTenant();
    const { policy } = await getPolicy(t.key);
    expect((await putPolicy(t.key, { ...policy, version: 1, already_paid_pause_days: 14 })).status).toBe(200);
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, -1));
    const res = await call(t.key, "POST", `/v1/debtors/${d}/actions`, { action: "already_paid" });
    expect(res.status).toBe(200);
    const view = (await (await call(t.key, "GET", `/v1/debtors/${d}`)).json()) as { pauses: { kind: string; from: string; until: string }[] };
    const pause = view.pauses.find((p) => p.kind === "already_paid");
    expect(Date.parse(pause?.until ?? "") - Date.parse(pause?.from ?? "")).toBe(14 * DAY);
  });

  it("requires an API key", async () => {
    expect((await call(null, "GET", "/v1/policy")).status).toBe(401);
    expect((await call(null, "PUT", "/v1/policy", { version: 1 })).status).toBe(401);
    expect((await call(null, "GET", "/v1/policy/score")).status).toBe(401);
  });
});

describe("the social-collection scorecard", () => {
  it("scores the default policy frontrunner on every criterion graded from the policy, and the account on what the shop filled in", async () => {
    const t = await newTenant();
    const score = await scoreOf(t.key);
    expect(score.version).toBe(0);
    expect(score.themes.map((x) => x.theme)).toEqual(["vision", "policy", "execution", "preconditions"]);
    const fromPolicy = criteria(score).filter((c) => c.basis === "setting" && c.reads.every((r) => r.startsWith("policy.")));
    expect(fromPolicy.length).toBeGreaterThanOrEqual(12);
    for (const c of fromPolicy) {
      expect(c.level, c.key).toBe("frontrunner");
      expect(c.to_improve, c.key).toBeNull();
    }
    // A new account has no pay template or bank details: the grade says so.
    expect(criterion(score, "payment_options").level).toBe("laggard");
    expect(score.overall).toBe("on_the_way");

    const account = {
      service: { phone: "+31201234567", hours: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "17:00" }], chat_url: "https://shop.example/chat" },
      links: { pay_url_template: "https://shop.example/pay?amount={{amount_cents}}&d={{debtor_id}}" },
      bank: { iban: "NL91ABNA0417164300", account_holder: "Shop B.V." },
    };
    expect((await call(t.key, "PATCH", "/v1/account", account)).status).toBe(200);
    const filled = await scoreOf(t.key);
    expect(criterion(filled, "reachability").level).toBe("frontrunner");
    expect(criterion(filled, "payment_options").level).toBe("frontrunner");
    expect(filled.overall).toBe("frontrunner");
  });

  it("a worse policy drops the criteria it touches, each with what to improve", async () => {
    const t = await newTenant();
    const { policy } = await getPolicy(t.key);
    const before = await scoreOf(t.key);
    const worse = edited(policy, (p) => {
      p.version = 1;
      (p.contact_budget as Record<string, unknown>).max_per_week = 5;
      p.debt_counselling_stop_days = 60;
    });
    expect((await putPolicy(t.key, worse)).status).toBe(200);
    const after = await scoreOf(t.key);
    expect(after.version).toBe(1);

    const budget = criterion(after, "contact_budget");
    expect(budget.level).not.toBe("frontrunner");
    expect(budget.to_improve).toMatch(/max_per_week/);
    const counselling = criterion(after, "debt_counselling_stop");
    expect(counselling.level).not.toBe("frontrunner");
    expect(counselling.to_improve).toMatch(/debt_counselling_stop_days/);
    expect(counselling.to_improve).toMatch(/240/);

    // Everything else stays where it was.
    for (const c of criteria(before)) {
      if (c.key === "contact_budget" || c.key === "debt_counselling_stop") continue;
      expect(criterion(after, c.key).level, c.key).toBe(c.level);
    }
  });
});

describe("self-assessment: what Kindly cannot observe, and ambitions per year", () => {
  const put = (key: string, body: unknown) => call(key, "PUT", "/v1/policy/score/self-assessment", body);

  it("stores a position for a self-assessed criterion and ambitions for any, and shows them in the scorecard", async () => {
    const t = await newTenant();
    const res = await put(t.key, {
      criteria: {
        vision_on_debt: { position: "on_the_way", ambitions: { "2027": "frontrunner" }, note: "Board adopts the vision in Q2." },
        arrangements: { ambitions: { "2027": "frontrunner" } },
      },
    });
    expect(res.status).toBe(200);
    const card = (await res.json()) as Scorecard;
    expect(criterion(card, "vision_on_debt")).toMatchObject({ basis: "self_assessed", level: "on_the_way", self_assessment: { position: "on_the_way", ambitions: { "2027": "frontrunner" }, note: "Board adopts the vision in Q2." } });
    expect(criterion(card, "arrangements")).toMatchObject({ level: "frontrunner", self_assessment: { position: null, ambitions: { "2027": "frontrunner" } } });
    // Not yet placed: no level, never a grade.
    expect(criterion(card, "staff_training")).toMatchObject({ level: null, self_assessment: null });
    expect(criterion(await scoreOf(t.key), "vision_on_debt").level).toBe("on_the_way");

    // Stating it again replaces it; another tenant sees nothing of it.
    await put(t.key, { criteria: { vision_on_debt: { position: "frontrunner" } } });
    expect(criterion(await scoreOf(t.key), "vision_on_debt")).toMatchObject({ level: "frontrunner", self_assessment: { ambitions: {} } });
    const other = await newTenant();
    expect(criterion(await scoreOf(other.key), "vision_on_debt").self_assessment).toBeNull();
  });

  it("refuses a position on a graded criterion, an unknown criterion or a bad year, and then stores nothing", async () => {
    const t = await newTenant();
    const res = await put(t.key, {
      criteria: { complaints: { position: "frontrunner" }, contact_budget: { position: "frontrunner" }, no_such_thing: { position: "laggard" } },
    });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as Problem;
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(["criteria.contact_budget.position", "criteria.no_such_thing"]);
    expect(criterion(await scoreOf(t.key), "complaints").self_assessment).toBeNull();
    expect((await put(t.key, { criteria: { complaints: { ambitions: { "next year": "frontrunner" } } } })).status).toBe(422);
    expect((await put(t.key, { criteria: { complaints: { position: "best" } } })).status).toBe(422);
    expect((await put(t.key, { criteria: {} })).status).toBe(422);
    expect((await put(t.key, { criteria: { complaints: { position: "laggard", extra: 1 } } })).status).toBe(422);
    expect((await call(null, "PUT", "/v1/policy/score/self-assessment", { criteria: { complaints: { position: "laggard" } } })).status).toBe(401);
  });
});
