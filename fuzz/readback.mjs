// After a fuzz run: every invoice and debtor Kindly stored is read back and compared with what
// the fuzzer was told (the last 2xx answer for each). A stored invoice nobody was told about is a
// partial write; an acknowledged one that is missing or different was lost or changed by a
// request that failed.

/** JSON with sorted keys, so two objects compare by content. */
const canonical = (value) => JSON.stringify(value, (_, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));

/** Runs `task` over `items`, `concurrency` at a time. */
async function each(items, concurrency, task) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (next < items.length) await task(items[next++]); }));
}

/** Reads back every stored invoice and debtor; reports each difference through `violation`. */
export async function readBack(k, model, keys, violation, concurrency = 16) {
  const get = async (tenant, path) => {
    const res = await fetch(k.base + path, { headers: { authorization: `Bearer ${keys[tenant]}` } });
    return { status: res.status, json: await res.json().catch(() => null) };
  };
  const report = (what, path, detail) => violation(what, { method: "GET", path }, null, detail);

  const index = k.d1("SELECT id, tenant_id, merchant_invoice_id, debtor_id FROM invoice_index");
  const indexed = new Map(index.map((row) => [row.id, row]));
  for (const row of index) {
    const known = model.invoices.get(row.id);
    if (!known) report("stored invoice that no answer acknowledged (partial write)", `/v1/invoices/${row.id}`, JSON.stringify(row));
    else if (known.tenant !== row.tenant_id || known.ack.debtor_id !== row.debtor_id) report("invoice stored under another tenant or debtor", `/v1/invoices/${row.id}`, JSON.stringify(row));
  }

  let invoices = 0;
  await each([...model.invoices], concurrency, async ([id, known]) => {
    if (!indexed.has(id)) report("acknowledged invoice missing from the index", `/v1/invoices/${id}`, "");
    const path = `/v1/invoices/${id}`;
    const { status, json } = await get(known.tenant, path);
    invoices++;
    if (status !== 200) report(`acknowledged invoice answers ${status}`, path, JSON.stringify(json));
    else if (canonical(json) !== canonical(known.ack)) report("stored invoice differs from the last acknowledged answer", path, `${canonical(json)} != ${canonical(known.ack)}`);
  });

  const debtorRows = k.d1("SELECT tenant_id, debtor_id FROM debtor_index");
  for (const row of debtorRows) {
    if (!model.debtors.has(`${row.tenant_id}:${row.debtor_id}`)) report("stored debtor that no answer acknowledged (partial write)", `/v1/debtors/${row.debtor_id}`, JSON.stringify(row));
  }

  let debtors = 0;
  await each([...model.debtors.values()], concurrency, async (debtor) => {
    const path = `/v1/debtors/${encodeURIComponent(debtor.id)}`;
    const expectedOpen = [...model.invoices.values()]
      .filter((i) => i.tenant === debtor.tenant && i.ack.debtor_id === debtor.id && i.ack.status === "open")
      .map((i) => i.ack)
      .sort((a, b) => a.id.localeCompare(b.id));
    const { status, json } = await get(debtor.tenant, path);
    debtors++;
    if (status !== 200) {
      if (expectedOpen.length || debtor.flags) report(`acknowledged debtor answers ${status}`, path, JSON.stringify(json));
      return;
    }
    const open = [...(json.open_invoices ?? [])].sort((a, b) => a.id.localeCompare(b.id));
    if (canonical(open) !== canonical(expectedOpen)) report("debtor's open invoices differ from the acknowledged ones", path, `${open.map((i) => i.id)} != ${expectedOpen.map((i) => i.id)}`);
    const owed = expectedOpen.reduce((s, i) => s + i.outstanding_cents, 0);
    if (json.outstanding_cents !== owed) report("debtor's amount owed differs from its open invoices", path, `${json.outstanding_cents} != ${owed}`);
    if (debtor.flags && canonical(json.flags) !== canonical(debtor.flags)) report("debtor's flags differ from the last acknowledged answer", path, `${canonical(json.flags)} != ${canonical(debtor.flags)}`);
  });

  // No webhook endpoint may exist: the fuzzer only offers addresses Kindly must refuse.
  for (const tenant of Object.keys(keys)) {
    const { json } = await get(tenant, "/v1/webhook-endpoints");
    const endpoints = json?.data ?? json ?? [];
    if (Array.isArray(endpoints) && endpoints.length) report("a webhook endpoint to a refused address was registered", "/v1/webhook-endpoints", JSON.stringify(endpoints).slice(0, 300));
  }
  return { invoices, debtors, indexRows: index.length };
}
