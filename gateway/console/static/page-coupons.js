// Coupons: templates (create, pause, resume), bulk codes with progress and download, and
// public codes for many shoppers.

import { call, problemText } from "./api.js";
import { button, card, el, facts, field, hint, setMessage, table } from "./dom.js";
import { formatMoney, formatNumber, t, timeElement } from "./i18n.js";
import { generator } from "./coupon-generate.js";
import { go, may, whoami } from "./shell.js";

const T = "/v1/admin/coupon-templates";

function discountText(d) {
  if (d.kind === "amount_off") return t("coupons_admin.amount_off", { amount: formatMoney(d.amount, d.currency) });
  if (d.kind === "percent_off") return t("coupons_admin.percent_off", { percent: d.percent });
  return t("coupons_admin.free_item", { sku: d.sku });
}

function createForm() {
  const name = el("input", { attrs: { type: "text", maxlength: "200" } });
  const nameZh = el("input", { attrs: { type: "text", maxlength: "200", lang: "zh-CN" } });
  const amount = el("input", { attrs: { type: "text", inputmode: "decimal", value: "20.00" } });
  const minTotal = el("input", { attrs: { type: "text", inputmode: "decimal", value: "200.00" } });
  const days = el("input", { attrs: { type: "number", min: "1", value: "30" } });
  const message = el("p", { className: "message", attrs: { role: "alert" } });
  message.hidden = true;
  const form = el("form", { attrs: { id: "template-form", novalidate: true } }, [
    el("div", { className: "form-grid" }, [
      field(t("coupons.name"), name, { id: "template-name" }),
      field(t("builder.name_zh"), nameZh, { id: "template-name-zh" }),
      field(t("coupons_admin.amount"), amount, { id: "template-amount" }),
      field(t("builder.min_total"), minTotal, { id: "template-min-total" }),
      field(t("coupons_admin.valid_days"), days, { id: "template-days" }),
    ]),
    el("div", { className: "actions" }, [el("button", { className: "button", text: t("coupons_admin.create"), attrs: { type: "submit", id: "template-create" } })]),
    message,
  ]);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const currency = whoami().tenant?.currency || "CNY";
    const chinese = nameZh.value.trim();
    const body = { name: name.value.trim(), translations: chinese ? { "zh-CN": { name: chinese } } : {}, discount: { kind: "amount_off", amount: amount.value.trim(), currency }, min_total: minTotal.value.trim() || null, validity: { days: Number(days.value) } };
    try {
      const made = await call(T, { method: "POST", json: body });
      go("coupons", made.template_id);
    } catch (error) {
      setMessage(message, problemText(error));
    }
  });
  return form;
}

function publicCodeForm(template) {
  const code = el("input", { attrs: { type: "text", placeholder: "WELCOME10" } });
  const limit = el("input", { attrs: { type: "number", min: "1", value: "1000" } });
  const out = el("p", { className: "hint", attrs: { role: "status" } });
  const make = async () => {
    try {
      const body = { usage_limit: Number(limit.value), ...(code.value.trim() ? { code: code.value.trim() } : {}) };
      const made = await call(`${T}/${encodeURIComponent(template.template_id)}/public-codes`, { method: "POST", json: body });
      out.textContent = t("coupons_admin.public_made", { code: made.code });
    } catch (error) {
      out.textContent = problemText(error);
    }
  };
  return el("div", { className: "fields" }, [
    field(t("coupons_admin.public_code"), code, { id: "public-code" }),
    field(t("coupons_admin.usage_limit"), limit, { id: "public-limit" }),
    el("div", { className: "actions" }, [button(t("coupons_admin.make_public"), make, { quiet: true, id: "public-make" })]),
    out,
  ]);
}

async function detail(view, templateId) {
  const tpl = await call(`${T}/${encodeURIComponent(templateId)}`);
  const editor = may("POST", `${T}/{template_id}/batches`);
  const toggle = tpl.status === "active" ? "pause" : "resume";
  const actions = editor ? [button(t(`coupons_admin.${toggle}`), async () => {
    await call(`${T}/${encodeURIComponent(tpl.template_id)}/${toggle}`, { method: "POST" });
    go("coupons", tpl.template_id);
  }, { quiet: true, id: "template-toggle" })] : [];
  const cards = [card((tpl.localized || tpl).name, [facts([
    [t("coupons_admin.discount"), discountText(tpl.discount)],
    [t("builder.min_total"), tpl.min_total ? formatMoney(tpl.min_total) : t("builder.any")],
    [t("coupons_admin.status"), t(`coupons_admin.status.${tpl.status}`)],
    [t("coupons_admin.max_redemptions"), formatNumber(tpl.max_redemptions)],
    [t("coupons_admin.coupons"), formatNumber(tpl.usage?.coupons ?? 0)],
    [t("coupons_admin.redemptions"), formatNumber(tpl.usage?.redemptions ?? 0)],
    [t("coupons_admin.coupons_redeemed"), formatNumber(tpl.usage?.coupons_redeemed ?? 0)],
    [t("access.created"), timeElement(tpl.created_at)],
  ])], { id: "template-detail", actions })];
  if (editor) {
    cards.push(card(t("coupons_admin.bulk"), [hint(t("coupons_admin.bulk_hint")), generator(tpl)], { id: "template-generate" }));
    cards.push(card(t("coupons_admin.public"), [publicCodeForm(tpl)], { id: "template-public" }));
  }
  view.append(el("div", { className: "grid" }, cards));
}

async function list(view) {
  const answer = await call(T);
  const link = (tpl) => el("a", { text: (tpl.localized || tpl).name, attrs: { href: `#/coupons/${encodeURIComponent(tpl.template_id)}` } });
  view.append(card(t("coupons_admin.templates"), [table(
    [[t("coupons.name"), link], [t("coupons_admin.discount"), (x) => discountText(x.discount)], [t("coupons_admin.status"), (x) => t(`coupons_admin.status.${x.status}`)], [t("coupons_admin.coupons"), (x) => formatNumber(x.usage?.coupons ?? 0)], [t("coupons_admin.redemptions"), (x) => formatNumber(x.usage?.redemptions ?? 0)], [t("access.created"), (x) => timeElement(x.created_at)]],
    answer.templates,
    { empty: t("common.none"), caption: t("coupons_admin.templates") },
  )], { id: "templates-list", wide: true }));
  if (may("POST", T)) view.append(card(t("coupons_admin.new"), [createForm()], { id: "template-new", wide: true }));
}

export async function render(view, context) {
  view.append(el("h1", { className: "page-title", text: t("nav.coupons") }));
  if (context.args[0]) await detail(view, context.args[0]);
  else await list(view);
}
