// costsheet web: the pages, hand-written in plain JavaScript (no build step, nothing fetched
// from elsewhere). Each page asks the server's /api for its data and draws it; amounts are
// shown as the server formatted them ("shown"), the exact value ("value") in data-value and
// the tooltip. Live updates: /api/events says "reload" when a ruleset or CSV file changed.
"use strict";

const main = document.getElementById("main");
const panel = document.getElementById("explain");
const panelBody = document.getElementById("explain-body");
const status = document.getElementById("status");
const PAGE = 100;
const COLOURS = ["#1f5fa8", "#e07b00", "#2e8b57", "#b03a48", "#7b5ea7", "#3c9fb0", "#9c7a2b", "#d45d9a", "#5b6672", "#6aa84f"];

// ------------------------------------------------------------------ helpers

function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  for (const child of children.flat(Infinity)) if (child) node.append(child instanceof Node ? child : String(child));
  return node;
}

class ApiError extends Error {
  constructor(status, body) {
    super(body.detail || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function api(path) {
  const answer = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await answer.json();
  if (!answer.ok) throw new ApiError(answer.status, body);
  return body;
}

function amountText(cell) {
  return cell ? cell.shown : "";
}

// an amount cell; with `explain` it is a button that opens the side panel
function amount(cell, explain) {
  if (!cell) return h("span", { class: "muted" }, "");
  if (!explain) return h("span", { "data-value": cell.value, title: cell.value }, cell.shown);
  return h(
    "button",
    { type: "button", class: "amount", "data-value": cell.value, title: `${cell.value}: where it comes from`, onclick: explain },
    cell.shown,
  );
}

function where(place) {
  return place ? h("span", { class: "where" }, place.label) : "";
}

function excerpt(lines) {
  if (!lines || !lines.length) return "";
  return h(
    "pre",
    { class: "excerpt" },
    lines.map((l) => h("span", { class: l.marked ? "mark" : "" }, `${String(l.line).padStart(4)} | ${l.text}\n`)),
  );
}

function downloads(view, params) {
  const query = new URLSearchParams(Object.entries(params || {}).filter(([, v]) => v !== null && v !== undefined && v !== ""));
  const tail = query.toString() ? `?${query}` : "";
  return h(
    "span",
    { class: "downloads" },
    "Download:",
    h("a", { href: `api/download/${view}.csv${tail}`, download: "", "data-download": "csv" }, "CSV"),
    h("a", { href: `api/download/${view}.json${tail}`, download: "", "data-download": "json" }, "JSON"),
    h("a", { href: `api/download/${view}.xlsx${tail}`, download: "", "data-download": "xlsx" }, "Excel"),
  );
}

function table(columns, rows, attrs) {
  return h(
    "table",
    attrs || {},
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { class: c.num ? "num" : "", scope: "col" }, c.label)))),
    h("tbody", {}, rows),
  );
}

function problem(error) {
  main.replaceChildren();
  const body = error.body || {};
  main.append(
    ...[
    h("h1", {}, body.code === "ruleset-has-errors" ? "The ruleset has errors" : "Cannot show this page"),
    h("p", { class: "banner", role: "alert" }, error.message),
    body.code === "ruleset-has-errors" ? h("p", {}, h("a", { href: "#/diagnostics" }, "See the diagnostics")) : "",
    (body.diagnostics || []).map(diagnostic),
    ].flat(),
  );
}

// ------------------------------------------------------------------ routing

function route() {
  const [path, query] = (location.hash.slice(1) || "/items").split("?");
  return { parts: path.split("/").filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query || "") };
}

function go(parts, params) {
  const query = params && params.toString() ? `?${params}` : "";
  location.hash = `#/${parts.map(encodeURIComponent).join("/")}${query}`;
}

const PAGES = {
  items: itemsPage,
  item: itemPage,
  history: historyPage,
  diagnostics: diagnosticsPage,
  "what-if": whatIfPage,
};

let drawing = 0;
async function draw({ keepFocus = false } = {}) {
  const { parts, params } = route();
  const page = PAGES[parts[0]] || itemsPage;
  for (const link of document.querySelectorAll("[data-nav]")) {
    link.toggleAttribute("aria-current", link.dataset.nav === (parts[0] || "items"));
    if (link.dataset.nav === (parts[0] || "items")) link.setAttribute("aria-current", "page");
  }
  const focused = keepFocus && document.activeElement && document.activeElement.id;
  const ticket = ++drawing;
  try {
    const content = await page(parts.slice(1), params);
    if (ticket !== drawing) return;
    main.replaceChildren(...[content].flat(Infinity));
  } catch (error) {
    if (ticket !== drawing) return;
    if (error instanceof ApiError) problem(error);
    else throw error;
  }
  if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  main.dataset.ready = String(ticket);
}

window.addEventListener("hashchange", () => {
  closePanel();
  draw().then(() => main.focus({ preventScroll: true }));
});

// ------------------------------------------------------------------ the explain panel

function closePanel() {
  panel.hidden = true;
  panelBody.replaceChildren();
  if (panel.returnTo) panel.returnTo.focus();
}

async function openPanel(path, opener) {
  const data = await api(path);
  panel.returnTo = opener;
  panelBody.replaceChildren(
    ...[
    h("p", { class: "src", id: "explain-what" }, data.title),
    h("p", {}, "Amount: ", h("strong", { id: "explain-amount", "data-value": data.amount ? data.amount.value : "" }, amountText(data.amount))),
    data.steps.length ? "" : h("p", { class: "muted" }, "No step made this amount."),
    data.steps.map((s) =>
      h(
        "div",
        { class: "step" },
        h("div", {}, h("span", { class: "src" }, s.source), " ", h("span", { class: "num" }, amountText(s.amount))),
        h("div", { class: "detail" }, s.detail),
        h("div", {}, where(s.where)),
        excerpt(s.excerpt),
      ),
    ),
    ].flat(Infinity),
  );
  panel.hidden = false;
  panel.focus();
}

document.getElementById("explain-close").addEventListener("click", closePanel);
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !panel.hidden) closePanel();
});

// ------------------------------------------------------------------ items

async function itemsPage(_, params) {
  const q = params.get("q") || "";
  const sort = params.get("sort") || "code";
  const desc = params.get("desc") === "1";
  const offset = Number(params.get("offset") || 0);
  const query = new URLSearchParams({ q, sort, desc: desc ? "true" : "false", offset, limit: PAGE });
  const data = await api(`api/items?${query}`);

  const change = (updates) => {
    const next = new URLSearchParams({ q, sort, desc: desc ? "1" : "0", offset: 0 });
    for (const [k, v] of Object.entries(updates)) next.set(k, v);
    go(["items"], next);
  };
  const search = h("input", {
    type: "search",
    id: "item-search",
    class: "search",
    placeholder: "Search code or description",
    "aria-label": "Search items by code or description",
    value: q,
  });
  let timer;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => change({ q: search.value }), 250);
  });
  const header = (key, label, num) => ({
    num,
    label: h(
      "button",
      {
        type: "button",
        class: "sort",
        id: `sort-${key}`,
        "aria-sort": sort === key ? (desc ? "descending" : "ascending") : null,
        onclick: () => change({ sort: key, desc: sort === key && !desc ? "1" : "0" }),
      },
      label,
      sort === key ? (desc ? " ▼" : " ▲") : "",
    ),
  });
  const rows = data.rows.map((r) =>
    h(
      "tr",
      { "data-code": r.code },
      h("td", {}, h("a", { href: `#/item/${encodeURIComponent(r.code)}` }, r.code)),
      h("td", {}, r.description),
      h("td", {}, r.replenishment),
      h("td", { class: "num unit-cost" }, amount(r.unit_cost)),
      h("td", { class: "num list-price" }, amount(r.list_price)),
    ),
  );
  const last = Math.min(data.offset + data.rows.length, data.total);
  const pageTo = (start) => change({ offset: Math.max(0, start) });
  return [
    h("h1", {}, "Items"),
    h("div", { class: "controls" }, search, downloads("items", { q, sort, desc: desc ? "true" : null })),
    table(
      [
        header("code", "Item"),
        header("description", "Description"),
        header("replenishment", "Replenishment"),
        header("unit_cost", "Unit cost", true),
        header("list_price", "List price", true),
      ],
      rows,
      { id: "item-table" },
    ),
    h(
      "div",
      { class: "pager" },
      h("button", { type: "button", id: "page-previous", disabled: data.offset === 0, onclick: () => pageTo(data.offset - PAGE) }, "‹ Previous"),
      h("span", { id: "page-position" }, data.total ? `${data.offset + 1}–${last} of ${data.total}` : "no item matches"),
      h("button", { type: "button", id: "page-next", disabled: last >= data.total, onclick: () => pageTo(data.offset + PAGE) }, "Next ›"),
      data.total !== data.all ? h("span", { class: "muted" }, `(${data.all} items in all)`) : "",
    ),
  ];
}

// ------------------------------------------------------------------ one item

async function itemPage(parts, params) {
  const code = parts[0];
  if (parts[1] === "valuation") return valuationPage(code);
  const level = params.get("level") || "rolled";
  const per = params.get("per") || "unit";
  const lot = params.get("lot") || "";
  const date = params.get("date") || "";
  const base = { lot_size: lot, date };
  const query = new URLSearchParams({ per, ...base });
  for (const [k, v] of [...query.entries()]) if (!v) query.delete(k);
  const data = await api(`api/items/${encodeURIComponent(code)}/costing?${query}`);
  const set = (updates) => {
    const next = new URLSearchParams({ level, per, lot, date });
    for (const [k, v] of Object.entries(updates)) next.set(k, v);
    for (const [k, v] of [...next.entries()]) if (!v) next.delete(k);
    go(["item", code], next);
  };
  const explainQuery = (line, lvl) => {
    const q = new URLSearchParams({ line, level: lvl, ...base });
    for (const [k, v] of [...q.entries()]) if (!v) q.delete(k);
    return `api/items/${encodeURIComponent(code)}/explain?${q}`;
  };
  const explain = (line, lvl) => (event) => openPanel(explainQuery(line, lvl), event.currentTarget);
  const pressed = (button, on) => (button.setAttribute("aria-pressed", on ? "true" : "false"), button);
  const seg = (label, options, current, key) =>
    h(
      "div",
      { class: "seg", role: "group", "aria-label": label },
      options.map(([value, text]) =>
        pressed(h("button", { type: "button", id: `${key}-${value}`, onclick: () => set({ [key]: value }) }, text), value === current),
      ),
    );
  const lotInput = h("input", { id: "lot-size", inputmode: "decimal", size: 8, value: lot, placeholder: data.lot_size });
  const dateInput = h("input", { id: "calc-date", type: "date", value: date || data.date });
  const form = h(
    "form",
    {
      class: "controls",
      onsubmit: (event) => {
        event.preventDefault();
        set({ lot: lotInput.value.trim(), date: dateInput.value });
      },
    },
    seg("Amounts", [["single", "Single-level"], ["rolled", "Rolled-up"]], level, "level"),
    seg("Per", [["unit", "Per unit"], ["lot", "Per lot"]], per, "per"),
    h("label", {}, "Lot size", lotInput),
    h("label", {}, "Date", dateInput),
    h("button", { type: "submit", id: "recalculate" }, "Calculate"),
    downloads("costing", { item: code, per, ...base }),
  );
  const key = level === "single" ? "single_level" : "rolled_up";
  const share = level === "single" ? "single_share" : "rolled_share";
  const chartRows = data.chart.map((r) => {
    const cls = r.kind === "heading" ? "heading" : r.kind === "element" ? "" : r.kind === "begin-total" ? "bold" : "bold total";
    const indent = h("span", { style: `padding-left:${r.indent * 16}px` }, r.description);
    const value = r.kind === "element" ? r[key] || r.charge : r.total;
    const shareText = r.kind === "element" ? r[share] : r.total_share;
    const explainLine = r.charge ? `charge:${r.charge_line}` : r.code;
    return h(
      "tr",
      { class: cls, "data-line": r.code, "data-kind": r.kind },
      h("td", {}, r.code),
      h("td", {}, indent),
      h("td", { class: "num amount-cell" }, value ? amount(value, explain(explainLine, r.kind === "element" ? level : "total")) : ""),
      h("td", { class: "num" }, shareText ? `${shareText} %` : ""),
    );
  });
  chartRows.push(
    h(
      "tr",
      { class: "bold total", "data-line": "unit-cost" },
      h("td", {}, ""),
      h("td", {}, per === "lot" ? `Cost of the lot of ${data.lot_size}` : "Unit cost"),
      h("td", { class: "num", id: "unit-cost" }, amount(data.unit_cost)),
      h("td", { class: "num" }, "100.0 %"),
    ),
  );
  return [
    h("p", { class: "sub" }, h("a", { href: "#/items" }, "Items"), " › ", code),
    h("h1", { id: "item-title" }, `${data.item} ${data.description}`),
    h(
      "p",
      { class: "sub" },
      `${data.replenishment}, lot size ${data.lot_size}, costed on ${data.date}`,
      data.currency ? ` in ${data.currency}` : "",
      versionText(data) ? ` · ${versionText(data)}` : "",
      " · ",
      where(data.where),
      " · ",
      h("a", { href: `#/item/${encodeURIComponent(code)}/valuation`, id: "valuation-link" }, "Valuation"),
    ),
    data.coproduct_of
      ? h(
          "p",
          { id: "coproduct-of" },
          `Co-product of `,
          h("a", { href: `#/item/${encodeURIComponent(data.coproduct_of.producer)}` }, data.coproduct_of.producer),
          `: ${data.coproduct_of.share} % of its cost, ${data.coproduct_of.amount.shown} per unit of ${data.coproduct_of.producer} for ${data.coproduct_of.quantity} units.`,
        )
      : "",
    form,
    h(
      "div",
      { class: "cols" },
      h(
        "section",
        { "aria-labelledby": "breakdown-title" },
        h("h2", { id: "breakdown-title" }, `Cost breakdown (${level === "single" ? "single-level" : "rolled-up"}, per ${per})`),
        table(
          [{ label: "Element" }, { label: "Description" }, { label: "Amount", num: true }, { label: "Share", num: true }],
          chartRows,
          { id: "breakdown" },
        ),
      ),
      h(
        "section",
        { "aria-labelledby": "share-title" },
        h("h2", { id: "share-title" }, "Cost shares"),
        shareChart(data.chart, key),
        h("h2", {}, "Charges and list price"),
        chargesTable(data, explain),
      ),
    ),
    h("h2", {}, "Costing BOM"),
    bomTree(data),
  ];
}

function shareChart(chart, key) {
  const parts = chart.filter((r) => r.kind === "element" && r[key] && Number(r[key].value) > 0);
  const total = parts.reduce((sum, r) => sum + Number(r[key].value), 0);
  const width = 400;
  let x = 0;
  const bars = parts.map((r, index) => {
    const w = total ? (Number(r[key].value) / total) * width : 0;
    const rect = svg(
      "rect",
      { x: x.toFixed(2), y: 0, width: w.toFixed(2), height: 28, fill: COLOURS[index % COLOURS.length] },
      svg("title", {}, `${r.code} ${r.description}: ${r[key].shown}`),
    );
    x += w;
    return rect;
  });
  return h(
    "figure",
    { id: "share-chart", style: "margin:0" },
    svg("svg", { viewBox: `0 0 ${width} 28`, width: "100%", height: 28, role: "img", "aria-label": "Stacked bar of the element shares" }, bars),
    h(
      "figcaption",
      { class: "legend" },
      parts.map((r, index) =>
        h("span", { style: `--c:${COLOURS[index % COLOURS.length]}` }, `${r.code} ${r.description} ${r[key === "single_level" ? "single_share" : "rolled_share"]} %`),
      ),
    ),
  );
}

function chargesTable(data, explain) {
  if (!data.charges.length) return h("p", { class: "muted" }, "The item has no charge condition.");
  const rows = data.charges.map((c) =>
    h(
      "tr",
      { class: c.bold ? "bold" : "", "data-charge": c.line },
      h("td", {}, c.line),
      h("td", {}, c.description, c.list_price ? " (list price)" : ""),
      h("td", {}, c.formula ? h("code", {}, c.formula) : ""),
      h("td", { class: "num" }, c.value ? amount(c.value, explain(`charge:${c.line}`, "rolled")) : ""),
    ),
  );
  rows.push(
    h("tr", { class: "bold total" }, h("td", {}, ""), h("td", {}, "List price"), h("td", {}, ""), h("td", { class: "num", id: "list-price" }, amount(data.list_price))),
  );
  return table([{ label: "Line" }, { label: "Description" }, { label: "Line as written" }, { label: "Value", num: true }], rows, { id: "charges" });
}

// The BOM and routing versions a node was costed with, when they are dated ("BOM 2026-07-01, routing 2026-01-01").
function versionText(node) {
  const dated = [
    ["BOM", node.bom_version],
    ["routing", node.routing_version],
  ].filter(([, version]) => version && version !== "undated");
  return dated.map(([kind, version]) => `${kind} ${version}`).join(", ");
}

function withUnit(quantity, unit) {
  return quantity && unit ? `${quantity} ${unit}` : quantity || "";
}

function bomTree(data) {
  const rows = data.bom;
  const open = new Set([0]);
  const body = h("tbody");
  const visible = (index) => {
    for (let p = rows[index].parent; p >= 0; p = rows[p].parent) if (!open.has(p)) return false;
    return true;
  };
  const render = (focusIndex) => {
    body.replaceChildren(
      ...rows
        .map((r, index) => [r, index])
        .filter(([, index]) => visible(index))
        .map(([r, index]) =>
          h(
            "tr",
            { "data-item": r.item, "data-index": index, "data-depth": r.depth, "data-kind": r.kind, class: r.kind === "item" ? "" : "joint" },
            h(
              "td",
              {},
              h("span", { style: `padding-left:${r.depth * 18}px` }),
              r.has_children
                ? h(
                    "button",
                    {
                      type: "button",
                      class: "toggle",
                      id: `bom-toggle-${index}`,
                      "aria-expanded": open.has(index) ? "true" : "false",
                      "aria-label": `${open.has(index) ? "Collapse" : "Expand"} ${r.item}`,
                      onclick: () => {
                        if (open.has(index)) open.delete(index);
                        else open.add(index);
                        render(index);
                      },
                    },
                    open.has(index) ? "−" : "+",
                  )
                : h("span", { class: "toggle", style: "display:inline-block;border:none" }),
              h("a", { href: `#/item/${encodeURIComponent(r.item)}` }, r.item),
            ),
            h(
              "td",
              {},
              r.description,
              versionText(r) ? h("span", { class: "tag version" }, versionText(r)) : "",
              r.phantom ? h("span", { class: "tag phantom", title: "exploded from a phantom item: its lines joined the parent's" }, `from phantom ${r.phantom}`) : "",
            ),
            h("td", {}, r.replenishment || ""),
            h("td", { class: "num" }, withUnit(r.quantity_per, r.unit)),
            h("td", { class: "num" }, withUnit(r.quantity, r.unit)),
            h("td", { class: "num unit-cost" }, amount(r.unit_cost)),
            h("td", { class: "num extended" }, amount(r.extended)),
            h("td", { class: "num" }, r.share ? `${r.share} %` : ""),
          ),
        ),
    );
    if (focusIndex !== undefined) document.getElementById(`bom-toggle-${focusIndex}`)?.focus();
  };
  render();
  const columns = ["Item", "Description", "Replenishment", "Quantity per", "Quantity", "Unit cost", "Extended", "Share"];
  return h(
    "div",
    {},
    h(
      "div",
      { class: "controls" },
      h("button", { type: "button", id: "bom-expand-all", onclick: () => (rows.forEach((_, i) => open.add(i)), render()) }, "Expand all"),
      h("button", { type: "button", id: "bom-collapse-all", onclick: () => (open.clear(), open.add(0), render()) }, "Collapse all"),
      data.bom_limited ? h("span", { class: "muted" }, `only the first ${rows.length} rows are shown`) : "",
    ),
    h(
      "table",
      { id: "bom-tree" },
      h("thead", {}, h("tr", {}, columns.map((c, i) => h("th", { class: i >= 3 ? "num" : "", scope: "col" }, c)))),
      body,
    ),
  );
}

// ------------------------------------------------------------------ valuation

async function valuationPage(code) {
  const data = await api(`api/items/${encodeURIComponent(code)}/valuation`);
  const head = [
    h("p", { class: "sub" }, h("a", { href: "#/items" }, "Items"), " › ", h("a", { href: `#/item/${encodeURIComponent(code)}` }, code), " › valuation"),
    h("h1", {}, `Valuation of ${code}`),
  ];
  if (!data.valued) {
    return [...head, h("p", {}, "The item has no ledger entries."), (data.diagnostics || []).map(diagnostic)];
  }
  const entryRows = data.entries.map((e) =>
    h(
      "tr",
      { "data-entry": e.entry },
      h("td", {}, e.entry),
      h("td", {}, e.date),
      h("td", {}, e.type),
      h("td", { class: "num" }, e.quantity),
      h("td", { class: "num" }, e.cost_amount),
      h("td", {}, (e.adjustments || []).map((a) => h("div", {}, Object.values(a).filter((v) => v !== null).join(" · ")))),
    ),
  );
  const listOf = (title, items) =>
    items && items.length
      ? [h("h2", {}, title), table(Object.keys(items[0]).map((k) => ({ label: k })), items.map((i) => h("tr", {}, Object.values(i).map((v) => h("td", {}, v === null ? "" : typeof v === "object" ? JSON.stringify(v) : v)))))]
      : [];
  const orders = Object.entries(data.orders || {});
  return [
    ...head,
    h(
      "dl",
      { class: "kv" },
      h("dt", {}, "Costing method"),
      h("dd", {}, data.costing_method),
      h("dt", {}, "Quantity on hand"),
      h("dd", { id: "quantity-on-hand" }, data.quantity_on_hand),
      h("dt", {}, "Inventory value"),
      h("dd", { id: "inventory-value" }, data.inventory_value),
    ),
    h("div", { class: "controls" }, downloads("valuation", { item: code })),
    h("h2", {}, "Value on hand over time"),
    lineChart(data.series),
    h("h2", {}, "Entries (final costs and adjustments)"),
    table(
      [{ label: "Entry" }, { label: "Date" }, { label: "Type" }, { label: "Quantity", num: true }, { label: "Cost amount", num: true }, { label: "Adjustments" }],
      entryRows,
      { id: "entries" },
    ),
    ...listOf("Variances", data.variances),
    ...listOf("Rounding", data.rounding),
    ...listOf("Revaluations", data.revaluations),
    orders.length ? h("h2", {}, "Production orders and WIP") : "",
    orders.length
      ? table(
          [{ label: "Order" }, { label: "Details" }],
          orders.map(([order, o]) =>
            h(
              "tr",
              {},
              h("td", {}, order),
              h("td", {}, Object.entries(o).map(([k, v]) => h("div", {}, `${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`))),
            ),
          ),
        )
      : "",
  ];
}

function lineChart(series) {
  if (!series.length) return h("p", { class: "muted" }, "No entries.");
  const width = 600;
  const height = 160;
  const pad = 30;
  const values = series.map((p) => Number(p.value));
  const low = Math.min(0, ...values);
  const high = Math.max(...values, low + 1);
  const x = (i) => pad + (series.length === 1 ? 0 : (i / (series.length - 1)) * (width - 2 * pad));
  const y = (v) => height - pad - ((v - low) / (high - low)) * (height - 2 * pad);
  const path = series.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(Number(p.value)).toFixed(1)}`).join(" ");
  return svg(
    "svg",
    { id: "value-chart", viewBox: `0 0 ${width} ${height}`, width: "100%", height, role: "img", "aria-label": "Inventory value over time" },
    svg("line", { x1: pad, y1: y(0), x2: width - pad, y2: y(0), stroke: "#d8dde3" }),
    svg("path", { d: path, fill: "none", stroke: "#1f5fa8", "stroke-width": 2 }),
    series.map((p, i) =>
      svg(
        "g",
        {},
        svg("circle", { cx: x(i), cy: y(Number(p.value)), r: 3, fill: "#1f5fa8" }, svg("title", {}, `${p.date}: ${p.value} (${p.quantity} on hand)`)),
        svg("text", { x: x(i), y: height - 8, "text-anchor": "middle", "font-size": 10 }, p.date),
      ),
    ),
  );
}

// ------------------------------------------------------------------ history

async function historyPage(parts, params) {
  if (parts[0] === "diff") return diffPage(parts[1], parts[2]);
  const item = params.get("item") || "";
  const data = await api(`api/history?${new URLSearchParams(item ? { item } : {})}`);
  const picked = { a: null, b: null };
  const compare = h("button", { type: "button", id: "compare", disabled: true, onclick: () => go(["history", "diff", picked.a, picked.b]) }, "Compare A with B");
  const pick = (which, id) => () => {
    picked[which] = id;
    compare.disabled = !(picked.a && picked.b && picked.a !== picked.b);
  };
  const rows = data.records.map((r) =>
    h(
      "tr",
      { "data-record": r.id },
      h("td", {}, h("input", { type: "radio", name: "a", id: `a-${r.id}`, "aria-label": `A: calculation ${r.id}`, onchange: pick("a", r.id) })),
      h("td", {}, h("input", { type: "radio", name: "b", id: `b-${r.id}`, "aria-label": `B: calculation ${r.id}`, onchange: pick("b", r.id) })),
      h("td", {}, r.id),
      h("td", {}, r.recorded_at),
      h("td", {}, r.source),
      h("td", {}, r.item),
      h("td", { class: "num" }, r.lot_size || ""),
      h("td", {}, r.date || ""),
      h("td", { class: "num" }, r.unit_cost || (r.ok ? "" : "failed")),
    ),
  );
  return [
    h("h1", {}, "Recorded calculations"),
    h("p", { class: "sub" }, "Newest first. Pick A and B and compare them side by side."),
    h("div", { class: "controls" }, compare),
    data.records.length
      ? table(
          ["A", "B", "Id", "Recorded", "By", "Item", "Lot size", "Date", "Unit cost"].map((label, i) => ({ label, num: i === 6 || i === 8 })),
          rows,
          { id: "history" },
        )
      : h("p", { class: "muted" }, "Nothing recorded yet: `costsheet calc RULESET ITEM` records each calculation."),
  ];
}

async function diffPage(a, b) {
  const data = await api(`api/history/diff?${new URLSearchParams({ a, b })}`);
  const side = (record, title) =>
    h(
      "div",
      { class: "card" },
      h("h2", {}, `${title}: calculation ${record.id}`),
      h(
        "dl",
        { class: "kv" },
        ["recorded_at", "source", "item", "lot_size", "date", "unit_cost", "ruleset_path"].flatMap((k) => [h("dt", {}, k.replace("_", " ")), h("dd", {}, record[k] ?? "")]),
      ),
    );
  const changeRow = (c) => {
    const direction = c.delta && !c.delta.startsWith("0") ? (c.delta.startsWith("-") ? "changed-down" : "changed-up") : "";
    return h(
      "tr",
      { "data-section": c.section, "data-key": c.key },
      h("td", {}, c.section),
      h("td", {}, c.key),
      h("td", {}, c.field),
      h("td", { class: "num" }, c.before ?? ""),
      h("td", { class: "num" }, c.after ?? ""),
      h("td", { class: `num ${direction}` }, c.delta ?? ""),
      h("td", { class: `num ${direction}` }, c.percent ? `${c.percent} %` : ""),
    );
  };
  const columns = ["Section", "Key", "Field", "A", "B", "Change", "%"].map((label, i) => ({ label, num: i >= 3 }));
  return [
    h("p", { class: "sub" }, h("a", { href: "#/history" }, "History"), ` › ${a} and ${b}`),
    h("h1", { id: "diff-title" }, `Calculation ${a} and ${b}`),
    h("div", { class: "controls" }, downloads("history-diff", { a, b })),
    h("div", { class: "pair" }, side(data.records.a, "A"), side(data.records.b, "B")),
    h("h2", {}, "Inputs"),
    data.inputs.length ? table(columns, data.inputs.map(changeRow), { id: "diff-inputs" }) : h("p", { class: "muted" }, "Same inputs."),
    h("h2", {}, "Amounts"),
    data.changes.length ? table(columns, data.changes.map(changeRow), { id: "diff-changes" }) : h("p", { class: "muted", id: "diff-same" }, "Every amount is the same."),
  ];
}

// ------------------------------------------------------------------ diagnostics and what-if

function diagnostic(d) {
  return h(
    "div",
    { class: `diag ${d.severity}`, "data-code": d.code },
    h("div", {}, h("strong", {}, `${d.severity}[`, h("span", { class: "code" }, d.code), "]"), " ", d.message),
    d.where ? h("div", {}, where(d.where), `:${d.column}`) : "",
    excerpt(d.excerpt),
    d.hint ? h("div", { class: "muted" }, `hint: ${d.hint}`) : "",
  );
}

async function diagnosticsPage() {
  const data = await api("api/diagnostics");
  return [
    h("h1", {}, "Diagnostics"),
    h(
      "p",
      { id: "diagnostics-summary" },
      data.clean ? "The ruleset checks clean." : `${data.errors} error(s), ${data.warnings} warning(s).`,
    ),
    h("div", { class: "controls" }, downloads("diagnostics", {})),
    data.diagnostics.map(diagnostic),
  ];
}

// the what-if page: the ruleset's scenarios and simulations; #/what-if/scenario/CODE and
// #/what-if/simulation/CODE?item=ITEM show one
async function whatIfPage(parts, params) {
  const data = await api("api/what-if");
  const [kind, code] = parts;
  const list = [
    h("h1", {}, "What-if"),
    h(
      "div",
      { class: "slot", id: "what-if-slot" },
      data.scenarios.length || data.simulations.length
        ? ""
        : h("p", { id: "what-if-none" }, "The ruleset declares no scenario or simulation (docs/scenarios.md says how to write them)."),
      data.scenarios.length ? h("h2", {}, "Scenarios") : "",
      data.scenarios.length
        ? h(
            "ul",
            { id: "scenario-list" },
            data.scenarios.map((s) =>
              h("li", {}, h("a", { href: `#/what-if/scenario/${encodeURIComponent(s.code)}`, "data-scenario": s.code }, s.code), s.description ? ` ${s.description}` : "", h("span", { class: "muted" }, ` · ${s.edits} change(s)`)),
            ),
          )
        : "",
      data.simulations.length ? h("h2", {}, "Simulations") : "",
      data.simulations.length
        ? h(
            "ul",
            { id: "simulation-list" },
            data.simulations.map((s) =>
              h(
                "li",
                {},
                h("a", { href: `#/what-if/simulation/${encodeURIComponent(s.code)}`, "data-simulation": s.code }, s.code),
                s.description ? ` ${s.description}` : "",
                h("span", { class: "muted" }, ` · ${s.runs} runs, seed ${s.seed}: ${s.inputs.join(", ")}`),
              ),
            ),
          )
        : "",
    ),
  ];
  if (kind === "scenario" && code) return [...list, await scenarioView(code, params)];
  if (kind === "simulation" && code) return [...list, await simulationView(code, params, data.max_runs)];
  return list;
}

async function scenarioView(code, params) {
  const query = new URLSearchParams(Object.entries({ date: params.get("date") }).filter(([, v]) => v));
  const data = await api(`api/what-if/scenarios/${encodeURIComponent(code)}?${query}`);
  const percent = (cell) => (cell ? h("span", { "data-value": cell.value, title: cell.value }, `${cell.shown} %`) : "");
  const rows = data.items.map((r) =>
    h(
      "tr",
      { "data-item": r.item },
      h("td", {}, r.item),
      h("td", {}, r.description),
      ["unit_cost", "list_price"].flatMap((figure) => [
        h("td", { class: "num base" }, amount(r.base[figure])),
        h("td", { class: "num scenario" }, amount(r.scenario[figure])),
        h("td", { class: "num difference" }, amount(r.difference[figure])),
        h("td", { class: "num percent" }, percent(r.percent[figure])),
      ]),
    ),
  );
  const labels = ["Item", "Description", "Unit cost", "Scenario", "Difference", "%", "List price", "Scenario", "Difference", "%"];
  return h(
    "section",
    { id: "scenario-view", "data-scenario": data.scenario },
    h("h2", {}, `Scenario ${data.scenario}${data.description ? `: ${data.description}` : ""}`),
    h("p", { class: "sub" }, `On ${data.date}: the ruleset as it is (base) and with the scenario applied.`),
    data.limited ? h("p", { class: "muted" }, `The first ${data.items.length} of ${data.total} items.`) : "",
    table(labels.map((label, i) => ({ label, num: i >= 2 })), rows, { id: "scenario-table" }),
    (data.diagnostics || []).map((d) => h("p", { class: "diag error" }, `${d.code}: ${d.message}`)),
  );
}

function histogramSvg(bins) {
  const width = 600, height = 180, bottom = 20;
  const most = Math.max(1, ...bins.map((b) => b.count));
  const bar = width / bins.length;
  return svg(
    "svg",
    { id: "histogram", viewBox: `0 0 ${width} ${height + bottom}`, width: "100%", style: "max-width: 40em; display: block", role: "img", "aria-label": "Histogram of the unit cost over the runs" },
    bins.map((b, i) => {
      const tall = (b.count / most) * height;
      return svg(
        "rect",
        { x: String(i * bar + 1), y: String(height - tall), width: String(Math.max(1, bar - 2)), height: String(tall), fill: COLOURS[0], "data-count": String(b.count), "data-low": b.low, "data-high": b.high },
        svg("title", {}, `${b.low} to ${b.high}: ${b.count} run(s)`),
      );
    }),
    svg("text", { x: "0", y: String(height + bottom - 4), "font-size": "12" }, bins[0].low),
    svg("text", { x: String(width), y: String(height + bottom - 4), "font-size": "12", "text-anchor": "end" }, bins[bins.length - 1].high),
  );
}

async function simulationView(code, params, maxRuns) {
  let item = params.get("item");
  if (!item) item = (await api("api/items?limit=1")).rows.map((r) => r.code)[0];
  const query = new URLSearchParams(Object.entries({ item, date: params.get("date") }).filter(([, v]) => v));
  const data = await api(`api/what-if/simulations/${encodeURIComponent(code)}?${query}`);
  const input = h("input", { id: "simulation-item", value: item, "aria-label": "Item" });
  const form = h(
    "form",
    { class: "controls", onsubmit: (event) => { event.preventDefault(); location.hash = `#/what-if/simulation/${encodeURIComponent(code)}?item=${encodeURIComponent(input.value.trim())}`; } },
    h("label", {}, "Item ", input),
    h("button", { type: "submit" }, "Run"),
  );
  const head = [
    h("h2", {}, `Simulation ${data.simulation}${data.description ? `: ${data.description}` : ""} · ${data.item}`),
    h("p", { class: "sub", id: "simulation-runs" }, `${data.runs} runs, seed ${data.seed}, on ${data.date}.`, data.runs < data.declared ? ` The simulation declares ${data.declared} runs; the page runs the first ${maxRuns} (costsheet simulate runs them all).` : ""),
    form,
  ];
  if (!data.statistics) {
    return h("section", { id: "simulation-view" }, head, data.diagnostics.map((d) => h("p", { class: "diag error" }, `${d.code}: ${d.message}`)));
  }
  const keys = ["mean", "p5", "p50", "p95", "min", "max"];
  const statRows = ["unit_cost", "list_price"]
    .filter((figure) => data.statistics[figure])
    .map((figure) => h("tr", { "data-figure": figure }, h("td", {}, figure.replace("_", " ")), keys.map((k) => h("td", { class: `num ${k}` }, amount(data.statistics[figure][k])))));
  const strongest = Math.max(1e-9, ...data.influence.map((i) => Math.abs(Number(i.rank_correlation))));
  const influenceRows = data.influence.map((i) =>
    h(
      "tr",
      { "data-input": i.input },
      h("td", {}, i.input),
      h("td", { class: "num", "data-value": i.rank_correlation }, i.rank_correlation),
      h("td", {}, h("span", { class: "bar", style: `display:inline-block;height:0.8em;background:${Number(i.rank_correlation) < 0 ? COLOURS[3] : COLOURS[0]};width:${(Math.abs(Number(i.rank_correlation)) / strongest) * 12}em` })),
    ),
  );
  return h(
    "section",
    { id: "simulation-view", "data-simulation": data.simulation },
    head,
    table(["", "Mean", "P5", "P50", "P95", "Min", "Max"].map((label, i) => ({ label, num: i > 0 })), statRows, { id: "simulation-statistics" }),
    h("h3", {}, `Unit cost of ${data.item} over the runs`),
    histogramSvg(data.histogram),
    h("h3", {}, "Influence on the unit cost"),
    table([{ label: "Input" }, { label: "Rank correlation", num: true }, { label: "" }], influenceRows, { id: "influence" }),
  );
}

// ------------------------------------------------------------------ live updates

async function refreshState() {
  const state = await api("api/state");
  document.body.dataset.generation = String(state.generation);
  const count = document.getElementById("diagnostic-count");
  count.hidden = !state.errors;
  count.textContent = String(state.errors);
  status.textContent = `${state.ruleset} · ${state.items} items · load ${state.generation}`;
  return state;
}

function listen() {
  const events = new EventSource("api/events");
  // a page left (or kept in the back-forward cache) lets its stream go: browsers allow a host six connections
  window.addEventListener("pagehide", () => events.close());
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      listen();
      refreshState().then(() => draw());
    }
  });
  events.addEventListener("reload", async () => {
    await refreshState();
    await draw({ keepFocus: true });
    status.classList.add("flash");
    status.textContent += " · updated";
    setTimeout(() => status.classList.remove("flash"), 1500);
  });
}

refreshState().then(() => draw());
listen();
