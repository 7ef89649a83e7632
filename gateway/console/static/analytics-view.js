// What the analytics pages share: the report's URL, the range of days (in the route:
// #/<page>/<from>/<to>), the CSV download of the same report, and a figure whose raw value
// the page keeps beside its formatted text (data-value), so what is read is what the API said.

import { el, field } from "./dom.js";
import { formatDate, formatMoney, formatNumber, formatPercent, t } from "./i18n.js";
import { go } from "./shell.js";

const BASE = "/v1/admin/analytics";
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function reportPath(report, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, value]) => value));
  const text = query.toString();
  return `${BASE}/${report}${text ? `?${text}` : ""}`;
}

// The days a page was opened for: both from the route, or none (the API's last 30 days).
export function rangeOf(args) {
  const [from, to] = args;
  return DAY.test(from || "") && DAY.test(to || "") ? { from, to } : {};
}

export function csvLink(report, params, id) {
  const href = reportPath(report, { ...params, format: "csv" });
  return el("a", { className: "button button-quiet", text: t("analytics.csv"), attrs: { href, download: `${report}.csv`, id } });
}

// The range form: two days and a button; the page is drawn again for the days chosen.
// `fields` go before the button; `args()` gives what follows the days in the route.
export function rangeForm(pageId, range, { fields = [], args = () => [] } = {}) {
  const from = el("input", { attrs: { type: "date", value: range.from, required: true } });
  const to = el("input", { attrs: { type: "date", value: range.to, required: true } });
  const submit = el("button", { className: "button", text: t("analytics.show"), attrs: { type: "submit", id: `${pageId}-show` } });
  const form = el("form", { className: "form-grid analytics-range", attrs: { id: `${pageId}-range`, novalidate: true } }, [
    field(t("analytics.from"), from, { id: `${pageId}-from` }),
    field(t("analytics.to"), to, { id: `${pageId}-to` }),
    ...fields,
    el("div", { className: "actions" }, [submit]),
  ]);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (DAY.test(from.value) && DAY.test(to.value)) go(pageId, from.value, to.value, ...args());
  });
  return form;
}

export function rangeText(range) {
  return t("analytics.range", { from: formatDate(range.from), to: formatDate(range.to) });
}

// A figure: its formatted text, its raw value in data-value and its name in data-figure.
export function figure(name, value, kind = "number", currency) {
  const text = kind === "money" ? formatMoney(value, currency) : kind === "rate" ? (value === null ? "—" : formatPercent(Number(value))) : formatNumber(value);
  return el("span", { className: "figure", text, attrs: { "data-figure": name, "data-value": value === null || value === undefined ? "" : String(value) } });
}

export const sum = (rows, key) => rows.reduce((total, row) => total + (row[key] || 0), 0);

// Rows summed by one of their fields: [[key, total], …], largest first.
export function totalsBy(rows, key, measure) {
  const totals = new Map();
  for (const row of rows) totals.set(row[key], (totals.get(row[key]) || 0) + row[measure]);
  return [...totals.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
}

export function bars(entries, label = (key) => key) {
  return entries.map(([key, value]) => ({ label: label(key) || "—", value, display: formatNumber(value) }));
}

export function moneyBars(rows, key, currency) {
  return rows.map((row) => ({ label: row[key] || "—", value: Number(row.net), display: formatMoney(row.net, currency) }));
}

export const channelName = (channel) => (channel ? t(`channel.${channel}`) : "—");

// A table that may scroll sideways: reachable by keyboard, named for screen readers.
export function scrollable(node, label) {
  if (node.classList.contains("table-scroll")) {
    node.setAttribute("tabindex", "0");
    node.setAttribute("role", "region");
    node.setAttribute("aria-label", label);
  }
  return node;
}
