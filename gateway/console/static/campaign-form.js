// The campaign builder: trigger, conditions, effect, schedule, budget and limits, audience
// segment (with its size) and holdout. Saves a draft, or a new version of a live campaign.
// The API's validation errors appear next to the field they concern. The name and
// description are typed in the tenant's default language, with their Chinese beside them.

import { call, fieldErrors } from "./api.js";
import { card, checkboxes, checkedValues, el, field, hint, setMessage, showFieldErrors } from "./dom.js";
import { formatNumber, isoToLocalInput, localInputToIso, t } from "./i18n.js";
import { go } from "./shell.js";

const TRIGGERS = ["purchase", "enrollment", "birthday", "tier_upgrade", "inactivity", "points_expiring"];
const CHANNELS = ["pos", "ecommerce", "miniprogram", "app"];

const idOf = (path) => `campaign-${path.replace(/[._]/g, "-")}`;
const list = (text) => text.split(",").map((part) => part.trim()).filter(Boolean);

function input(type, value, attrs = {}) {
  return el("input", { attrs: { type, value: value ?? "", spellcheck: "false", ...attrs } });
}

function textarea(value, attrs = {}) {
  const node = el("textarea", { attrs: { rows: "2", maxlength: "2000", ...attrs } });
  node.value = value ?? "";
  return node;
}

// The campaign's translations with the Chinese fields as typed (other languages kept).
function translations(campaign, value) {
  const all = { ...(campaign?.translations || {}) };
  const zh = { name: value("translations.zh-CN.name").trim(), description: value("translations.zh-CN.description").trim() };
  const given = Object.fromEntries(Object.entries(zh).filter(([, text]) => text));
  if (Object.keys(given).length) all["zh-CN"] = given;
  else delete all["zh-CN"];
  return all;
}

function select(values, chosen, label) {
  return el("select", {}, values.map((value) => el("option", { text: label(value), attrs: { value, selected: value === chosen } })));
}

function checks(legend, path, values, chosen) {
  return checkboxes(path, legend, values, chosen, { id: idOf(path) });
}

function body(form, value, campaign) {
  const number = (path) => (value(path) === "" ? null : Number(value(path)));
  const type = value("effect.type");
  const effect = type === "multiplier" ? { type, factor: value("effect.factor") } : { type, points: number("effect.points") };
  const segment = value("audience.segment_id");
  return {
    name: value("name").trim(),
    description: value("description").trim(),
    translations: translations(campaign, value),
    trigger: value("trigger"),
    starts_at: localInputToIso(value("starts_at")),
    ends_at: localInputToIso(value("ends_at")),
    conditions: {
      channels: checkedValues(form, "conditions.channels"),
      store_ids: list(value("conditions.store_ids")),
      categories: list(value("conditions.categories")),
      min_total: value("conditions.min_total").trim() || null,
      tiers: checkedValues(form, "conditions.tiers"),
    },
    audience: segment ? { segment_id: segment } : null,
    effect,
    budget: number("budget.points") === null ? null : { points: number("budget.points") },
    limits: number("limits.per_member") === null ? null : { per_member: number("limits.per_member") },
    holdout_percent: number("holdout_percent") ?? 0,
  };
}

// body.effect.multiplier.factor is the effect's factor field, whatever the effect's type.
function fieldIdOf(path) {
  const parts = path.split(".");
  return idOf(parts[0] === "effect" ? `effect.${parts[parts.length - 1]}` : path);
}

export async function renderForm(view, campaign) {
  const [segments, program] = await Promise.all([
    call("/v1/admin/segments").catch(() => ({ segments: [] })),
    call("/v1/admin/tier-program").catch(() => ({ tiers: [] })),
  ]);
  const c = campaign || { trigger: "purchase", conditions: {}, effect: { type: "multiplier", factor: "2" }, holdout_percent: 0 };
  const cond = c.conditions || {};
  const segmentLabel = (s) => t("builder.segment_option", { name: s.name, size: formatNumber(s.size), count: s.size });
  const segmentSelect = el("select", {}, [
    el("option", { text: t("builder.everyone"), attrs: { value: "" } }),
    ...segments.segments.map((s) => el("option", { text: segmentLabel(s), attrs: { value: s.segment_id, selected: c.audience?.segment_id === s.segment_id } })),
  ]);
  const f = (label, path, node) => field(label, node, { id: idOf(path) });
  const fields = {
    name: input("text", c.name, { required: true, maxlength: "200" }),
    description: textarea(c.description),
    "translations.zh-CN.name": input("text", c.translations?.["zh-CN"]?.name, { maxlength: "200", lang: "zh-CN" }),
    "translations.zh-CN.description": textarea(c.translations?.["zh-CN"]?.description, { lang: "zh-CN" }),
    trigger: select(TRIGGERS, c.trigger, (v) => t(`campaign.trigger.${v}`)),
    starts_at: input("datetime-local", isoToLocalInput(c.starts_at)),
    ends_at: input("datetime-local", isoToLocalInput(c.ends_at)),
    "conditions.store_ids": input("text", (cond.store_ids || []).join(", "), { placeholder: "S001, S002" }),
    "conditions.categories": input("text", (cond.categories || []).join(", "), { placeholder: "shoes" }),
    "conditions.min_total": input("text", cond.min_total, { inputmode: "decimal", placeholder: "100.00" }),
    "audience.segment_id": segmentSelect,
    "effect.type": select(["multiplier", "bonus_points"], c.effect.type, (v) => t(`builder.effect.${v}`)),
    "effect.factor": input("text", c.effect.factor, { inputmode: "decimal" }),
    "effect.points": input("number", c.effect.points, { min: "1", step: "1" }),
    "budget.points": input("number", c.budget?.points, { min: "1", step: "1" }),
    "limits.per_member": input("number", c.limits?.per_member, { min: "1", step: "1" }),
    holdout_percent: input("number", c.holdout_percent, { min: "0", max: "100", step: "1" }),
  };
  const value = (path) => fields[path].value;
  const message = el("p", { className: "message", attrs: { role: "alert", id: "campaign-form-error" } });
  message.hidden = true;
  const save = el("button", { className: "button", text: t(campaign ? "builder.save_version" : "builder.save_draft"), attrs: { type: "submit", id: "campaign-save" } });
  const form = el("form", { attrs: { id: "campaign-form", novalidate: true } }, [
    card(t("builder.what"), [el("div", { className: "form-grid" }, [
      f(t("campaign.name"), "name", fields.name),
      f(t("builder.name_zh"), "translations.zh-CN.name", fields["translations.zh-CN.name"]),
      f(t("campaign.description"), "description", fields.description),
      f(t("builder.description_zh"), "translations.zh-CN.description", fields["translations.zh-CN.description"]),
      f(t("campaign.trigger"), "trigger", fields.trigger),
      f(t("builder.effect_type"), "effect.type", fields["effect.type"]),
      f(t("builder.factor"), "effect.factor", fields["effect.factor"]),
      f(t("builder.bonus_points"), "effect.points", fields["effect.points"]),
    ])], { id: "builder-what" }),
    card(t("builder.who"), [
      el("div", { className: "form-grid" }, [f(t("builder.segment"), "audience.segment_id", segmentSelect), f(t("builder.holdout"), "holdout_percent", fields.holdout_percent)]),
      checks(t("builder.channels"), "conditions.channels", CHANNELS.map((ch) => [ch, t(`channel.${ch}`)]), cond.channels || []),
      checks(t("builder.tiers"), "conditions.tiers", program.tiers.map((tier) => [tier.code, tier.name]), cond.tiers || []),
      el("div", { className: "form-grid" }, [
        f(t("builder.stores"), "conditions.store_ids", fields["conditions.store_ids"]),
        f(t("builder.categories"), "conditions.categories", fields["conditions.categories"]),
        f(t("builder.min_total"), "conditions.min_total", fields["conditions.min_total"]),
      ]),
    ], { id: "builder-who" }),
    card(t("builder.when"), [el("div", { className: "form-grid" }, [
      f(t("campaign.starts_at"), "starts_at", fields.starts_at),
      f(t("campaign.ends_at"), "ends_at", fields.ends_at),
      f(t("campaign.budget"), "budget.points", fields["budget.points"]),
      f(t("campaign.per_member"), "limits.per_member", fields["limits.per_member"]),
    ]), hint(t("builder.time_zone_hint"))], { id: "builder-when" }),
    el("div", { className: "actions" }, [save]),
    message,
  ]);
  const syncEffect = () => {
    const multiplier = fields["effect.type"].value === "multiplier";
    fields["effect.factor"].closest(".field").hidden = !multiplier;
    fields["effect.points"].closest(".field").hidden = multiplier;
  };
  fields["effect.type"].addEventListener("change", syncEffect);
  syncEffect();
  const review = el("div", { attrs: { id: "campaign-review", "aria-live": "polite" } });
  form.append(review);
  form.addEventListener("input", () => {
    if (!form.dataset.reviewed) return;
    delete form.dataset.reviewed; // changed again: review again
    review.replaceChildren();
    save.textContent = t("builder.save_version");
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (campaign && !form.dataset.reviewed) {
      const { comparison } = await import("./campaign-compare.js");
      review.replaceChildren(card(t("compare.title"), [comparison(campaign, body(form, value, campaign))], { id: "campaign-compare" }));
      form.dataset.reviewed = "yes";
      save.textContent = t("compare.confirm");
      return;
    }
    save.disabled = true;
    setMessage(message, "");
    try {
      const path = campaign ? `/v1/admin/campaigns/${encodeURIComponent(campaign.campaign_id)}` : "/v1/admin/campaigns";
      const saved = await call(path, { method: campaign ? "PUT" : "POST", json: body(form, value, campaign) });
      go("campaigns", saved.campaign_id);
    } catch (error) {
      delete form.dataset.reviewed;
      save.textContent = t("builder.save_version");
      const unplaced = showFieldErrors(form, fieldErrors(error), fieldIdOf);
      const rest = Object.entries(unplaced).map(([path, text]) => `${path}: ${text}`).join("; ");
      if (rest || !Object.keys(fieldErrors(error)).length) setMessage(message, rest || error.detail);
      form.querySelector(".field-error:not([hidden])")?.previousElementSibling?.focus();
    } finally {
      save.disabled = false;
    }
  });
  view.append(form);
}
