// Points operations: one adjustment or transfer with a reason, bulk adjustments from a CSV
// file, the points settings (earning rule, expiry, pending period), the exchange rates
// and reconciliation.

import { call, fieldErrors, operationId } from "./api.js";
import { card, el, facts, field, hint, setMessage, showFieldErrors } from "./dom.js";
import { formatPoints, t } from "./i18n.js";
import { bulkCard } from "./points-bulk.js";
import { ratesCard } from "./points-rates.js";
import { reconciliationCard } from "./points-reconcile.js";
import { may } from "./shell.js";

const SETTINGS = [
  ["points_per_unit", "text"],
  ["rounding", ["floor", "half_up", "ceiling"]],
  ["expiry_policy", ["never", "days_after_earning", "months_after_earning", "end_of_month"]],
  ["expiry_days", "number"],
  ["expiry_months", "number"],
  ["pending_days", "number"],
  ["transfer_limit_per_day", "number"],
];

function input(kind, value) {
  if (Array.isArray(kind)) return el("select", {}, kind.map((v) => el("option", { text: t(`settings.${v}`), attrs: { value: v, selected: v === value } })));
  return el("input", { attrs: { type: kind, value: value ?? "", ...(kind === "number" ? { min: "0", step: "1" } : {}) } });
}

// A form of named inputs; on submit `send(values)`; a 422 puts each error beside its field.
function operationForm(id, rows, submitText, send) {
  const inputs = Object.fromEntries(rows.map(([name, , node]) => [name, node]));
  const message = el("p", { className: "message", attrs: { role: "status" } });
  message.hidden = true;
  const submit = el("button", { className: "button", text: submitText, attrs: { type: "submit", id: `${id}-submit` } });
  const form = el("form", { attrs: { id, novalidate: true } }, [
    el("div", { className: "form-grid" }, rows.map(([name, label, node]) => field(label, node, { id: `${id}-${name.replace(/_/g, "-")}` }))),
    el("div", { className: "actions" }, [submit]),
    message,
  ]);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      const values = Object.fromEntries(Object.entries(inputs).map(([name, node]) => [name, node.value.trim()]));
      setMessage(message, await send(values), "info");
    } catch (error) {
      showFieldErrors(form, fieldErrors(error), (path) => `${id}-${path.replace(/_/g, "-")}`);
      setMessage(message, error.detail);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

const number = (text) => (text === "" ? null : Number(text));

function adjustCard() {
  const rows = [["member_id", t("member.id"), input("text")], ["points", t("adjust.points"), input("number")], ["reason", t("adjust.reason"), input("text")]];
  return card(t("adjust.title"), [hint(t("adjust.hint")), operationForm("op-adjust", rows, t("adjust.submit"), async (v) => {
    const body = { adjustment_id: operationId("console"), points: number(v.points), reason: v.reason };
    const answer = await call(`/v1/admin/members/${encodeURIComponent(v.member_id)}/points/adjustments`, { method: "POST", json: body });
    return t("points_ops.adjusted", { available: formatPoints(answer.balance?.available) });
  })], { id: "op-adjust-panel" });
}

function transferCard() {
  const rows = [["from_member_id", t("transfer.from"), input("text")], ["to_member_id", t("transfer.to"), input("text")], ["points", t("adjust.points"), input("number")], ["reason", t("adjust.reason"), input("text")]];
  return card(t("transfer.title"), [operationForm("op-transfer", rows, t("transfer.submit"), async (v) => {
    const body = { transfer_id: operationId("console"), from_member_id: v.from_member_id, to_member_id: v.to_member_id, points: number(v.points), reason: v.reason || null };
    const answer = await call("/v1/admin/points/transfers", { method: "POST", json: body });
    return t("transfer.done", { points: formatPoints(answer.points), from: formatPoints(answer.from_balance.available), to: formatPoints(answer.to_balance.available) });
  })], { id: "op-transfer-panel" });
}

async function settingsCard() {
  const current = await call("/v1/admin/points/settings");
  if (!may("PUT", "/v1/admin/points/settings")) {
    return card(t("settings.title"), [facts(SETTINGS.map(([name]) => [t(`settings.field.${name}`), current[name]]))], { id: "settings-panel" });
  }
  const rows = SETTINGS.map(([name, kind]) => [name, t(`settings.field.${name}`), input(kind, current[name])]);
  return card(t("settings.title"), [hint(t("settings.hint", { version: current.version })), operationForm("op-settings", rows, t("settings.save"), async (v) => {
    const { version, ...body } = current;
    for (const [name, kind] of SETTINGS) body[name] = kind === "number" ? number(v[name]) : v[name];
    const saved = await call("/v1/admin/points/settings", { method: "PUT", json: body });
    Object.assign(current, saved);
    return t("settings.saved", { version: saved.version });
  })], { id: "settings-panel", wide: true });
}

export async function render(view) {
  view.append(el("h1", { className: "page-title", text: t("nav.points") }));
  const grid = el("div", { className: "grid" });
  if (may("POST", "/v1/admin/members/{member_id}/points/adjustments")) grid.append(adjustCard());
  if (may("POST", "/v1/admin/points/transfers")) grid.append(transferCard());
  if (may("POST", "/v1/admin/points/adjustments/bulk")) grid.append(bulkCard());
  grid.append(await settingsCard());
  if (may("GET", "/v1/admin/exchange-rates")) grid.append(await ratesCard());
  if (may("POST", "/v1/admin/points/reconciliation")) grid.append(reconciliationCard());
  view.append(grid);
}
